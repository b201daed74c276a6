package dev.stepwise.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.SparkSession;

/**
 * Counts the Spark jobs a piece of code starts: to prove that something fails (or is decided)
 * before any Spark work, e.g. that a bad config is rejected without reading a byte of data.
 */
public final class SparkJobs {
  private static final String GROUP_KEY = "spark.jobGroup.id";

  private SparkJobs() {}

  /** The descriptions of the jobs {@code code} started, in order; an exception it throws is rethrown. */
  public static List<String> startedBy(SparkSession spark, Runnable code) {
    SparkContext context = spark.sparkContext();
    String start = "stepwise-job-marker-start-" + UUID.randomUUID();
    String end = "stepwise-job-marker-end-" + UUID.randomUUID();
    Recorder recorder = new Recorder(start, end);
    context.addSparkListener(recorder);
    try {
      // Listener events arrive in order on one bus: jobs heard between the two marker jobs are
      // exactly the jobs started in between, whatever earlier events were still queued.
      runMarker(spark, start);
      try {
        code.run();
      } finally {
        runMarker(spark, end);
        if (!recorder.awaitEnd()) {
          throw new IllegalStateException("Spark's listener bus did not report a marker job within 30 s");
        }
      }
      return recorder.jobs();
    } finally {
      context.removeSparkListener(recorder);
    }
  }

  private static void runMarker(SparkSession spark, String marker) {
    spark.sparkContext().setJobGroup(marker, marker, false);
    try {
      spark.range(1).count();
    } finally {
      spark.sparkContext().clearJobGroup();
    }
  }

  private static final class Recorder extends SparkListener {
    private final String startMarker;
    private final String endMarker;
    private volatile boolean started;
    private final CountDownLatch ended = new CountDownLatch(1);
    private final List<String> jobs = new ArrayList<>();

    Recorder(String startMarker, String endMarker) {
      this.startMarker = startMarker;
      this.endMarker = endMarker;
    }

    @Override
    public void onJobStart(SparkListenerJobStart start) {
      String group = start.properties() == null ? null : start.properties().getProperty(GROUP_KEY);
      if (startMarker.equals(group)) {
        started = true;
        return;
      }
      if (endMarker.equals(group)) {
        ended.countDown();
        return;
      }
      if (started && ended.getCount() > 0) {
        synchronized (jobs) {
          String description = start.properties() == null ? null
              : start.properties().getProperty("spark.job.description");
          jobs.add("job " + start.jobId() + (description == null ? "" : ": " + description));
        }
      }
    }

    boolean awaitEnd() {
      try {
        return ended.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }

    List<String> jobs() {
      synchronized (jobs) {
        return List.copyOf(jobs);
      }
    }
  }
}
