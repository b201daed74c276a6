package dev.stepwise.core.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stepwise.core.model.StorageFormat;
import dev.stepwise.core.model.StorageSpec;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every storage format under every policy, checked or not: the whole table of choices. */
class ReuseChoiceTest {

  @Test
  void everyFormatUnderEveryPolicy() {
    for (StorageFormat format : StorageFormat.values()) {
      StorageSpec storage = StorageSpec.files(format, format == StorageFormat.TABLE ? "t" : "/tmp/x");
      boolean columnarFiles = format == StorageFormat.PARQUET || format == StorageFormat.ORC;
      boolean rows = format == StorageFormat.CSV || format == StorageFormat.JSON || format == StorageFormat.TEXT;
      for (boolean checked : new boolean[] {false, true}) {
        String about = format + (checked ? " with expectations" : "");
        assertEquals(ReuseReason.CACHE_POLICY_ALL, ReuseChoice.read(CachePolicy.ALL, storage, checked), about);
        ReuseReason read = ReuseChoice.read(CachePolicy.BY_COST, storage, checked);
        assertEquals(columnarFiles && !checked ? Reuse.REREAD : Reuse.CACHE, read.reuse(), about + ": " + read);
        if (rows) {
          assertEquals(ReuseReason.ROW_FORMAT_INPUT, read, about);
        }
      }
      assertEquals(ReuseReason.CACHE_POLICY_ALL, ReuseChoice.computed(CachePolicy.ALL, Optional.of(storage)));
      ReuseReason written = ReuseChoice.computed(CachePolicy.BY_COST, Optional.of(storage));
      assertEquals(rows ? ReuseReason.WRITTEN_AS_ROWS : ReuseReason.WRITTEN_AS_COLUMNS, written, format.toString());
      StorageSpec partitioned = new StorageSpec(format, storage.location(), java.util.Map.of(), Optional.empty(),
          java.util.List.of("day"));
      assertEquals(rows ? ReuseReason.WRITTEN_AS_ROWS
              : format == StorageFormat.DELTA ? ReuseReason.WRITTEN_AS_COLUMNS : ReuseReason.WRITTEN_PARTITIONED,
          ReuseChoice.computed(CachePolicy.BY_COST, Optional.of(partitioned)), format + " partitioned");
    }
    assertEquals(ReuseReason.COMPUTED_IN_TASK, ReuseChoice.computed(CachePolicy.BY_COST, Optional.empty()));
    assertEquals(ReuseReason.CACHE_POLICY_ALL, ReuseChoice.computed(CachePolicy.ALL, Optional.empty()));
  }
}
