package dev.stepwise.entrypoint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class LocalShufflePartitionsTest {
  @Test
  void localMastersGetTwoPartitionsPerCore() {
    assertEquals(Optional.of(4), LocalShufflePartitions.forMaster("local[*]", 2));
    assertEquals(Optional.of(16), LocalShufflePartitions.forMaster("local[8]", 2));
    assertEquals(Optional.of(6), LocalShufflePartitions.forMaster("local[3, 2]", 2), "local[N, retries]");
    assertEquals(Optional.of(2), LocalShufflePartitions.forMaster("local", 8), "plain local is one thread");
  }

  @Test
  void clusterMastersKeepTheirOwnDefaults() {
    assertEquals(Optional.empty(), LocalShufflePartitions.forMaster("spark://127.0.0.1:7077", 2));
    assertEquals(Optional.empty(), LocalShufflePartitions.forMaster("yarn", 2));
    assertEquals(Optional.empty(), LocalShufflePartitions.forMaster("local-cluster[2,1,1024]", 2));
    assertEquals(Optional.empty(), LocalShufflePartitions.forMaster("", 2));
  }
}
