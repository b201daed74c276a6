package dev.stepwise.examples.payments;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Writes one run date of the payments pipeline's sources: realistic enough to exercise every rule,
 * and deterministic: the same arguments give byte-identical files.
 *
 * <p>Files: {@value #EVENTS_FILE} (one JSON event per line, fields {@code event_id, event_type,
 * booking_id, host_id, amount, currency, occurred_at, ingested_at}), {@value #FX_RATES_FILE}
 * ({@code currency,rate_to_usd}) and {@value #BOOKINGS_FILE} ({@code booking_id,host_id,market,
 * guest_total,currency,check_in}), each with its header where CSV.
 *
 * <p>Injected on purpose: re-sent duplicates, late events (occurred the day before), malformed
 * lines of four kinds, charges of bookings that do not exist, underpaid charges, full and partial
 * refunds (never more than their charge), payouts, bookings never charged, and one market whose
 * currency ({@value #UNCONVERTIBLE_CURRENCY}) the fx table lacks.
 *
 * <p>Events are streamed: memory does not grow with their number. Booking attributes are a pure
 * function of (seed, booking number), which is what lets the bookings file be written after the
 * events without remembering them.
 */
public final class PaymentsSampleData {
  public static final String EVENTS_FILE = "events.jsonl";
  public static final String FX_RATES_FILE = "fx_rates.csv";
  public static final String BOOKINGS_FILE = "bookings.csv";
  public static final String UNCONVERTIBLE_CURRENCY = "BRL";

  private record Market(String name, String currency) {}

  private static final List<Market> MARKETS = List.of(
      new Market("paris", "EUR"), new Market("lisbon", "EUR"), new Market("london", "GBP"),
      new Market("tokyo", "JPY"), new Market("new_york", "USD"), new Market("toronto", "CAD"),
      new Market("sydney", "AUD"));
  // A market added upstream before anyone added its currency to the fx table.
  private static final Market UNCONVERTIBLE_MARKET = new Market("rio", UNCONVERTIBLE_CURRENCY);
  private static final int UNCONVERTIBLE_EVERY_NTH_HOST = 50;

  // CHF has a rate but no market: an unused rate must be harmless.
  private static final List<String[]> RATES_TO_USD = List.of(
      new String[] {"USD", "1.00000000"}, new String[] {"EUR", "1.08250000"},
      new String[] {"GBP", "1.26910000"}, new String[] {"JPY", "0.00667800"},
      new String[] {"CAD", "0.73150000"}, new String[] {"AUD", "0.65870000"},
      new String[] {"CHF", "1.13020000"});

  private static final double PAYOUT_SHARE = 0.08;
  private static final double REFUNDED_CHARGES = 0.10;
  private static final double FULL_REFUNDS = 0.40;
  private static final double UNDERPAID_CHARGES = 0.01;
  private static final double CHARGES_WITHOUT_BOOKING = 0.005;
  private static final double LATE_EVENTS = 0.02;
  private static final double DUPLICATED_EVENTS = 0.03;
  private static final double MALFORMED_LINES = 0.005;
  private static final int SECONDS_PER_DAY = 86_400;

  private PaymentsSampleData() {}

  /**
   * Writes {@code events} distinct valid events (plus duplicates and malformed lines) of
   * {@code runDate} and the matching fx rates and bookings, replacing earlier files of the same
   * names; the directories are created if needed.
   */
  public static GenerationSummary write(
      LocalDate runDate, int events, long seed, Path eventsDir, Path fxDir, Path bookingsDir) {
    Objects.requireNonNull(runDate, "runDate");
    if (events < 0) {
      throw new IllegalArgumentException("events must be zero or more, got " + events);
    }
    try {
      Files.createDirectories(eventsDir);
      Files.createDirectories(fxDir);
      Files.createDirectories(bookingsDir);
      Generation generation = new Generation(runDate, events, seed);
      try (Writer out = Files.newBufferedWriter(eventsDir.resolve(EVENTS_FILE), StandardCharsets.UTF_8)) {
        generation.writeEvents(out);
      }
      try (Writer out = Files.newBufferedWriter(fxDir.resolve(FX_RATES_FILE), StandardCharsets.UTF_8)) {
        writeRates(out);
      }
      try (Writer out = Files.newBufferedWriter(bookingsDir.resolve(BOOKINGS_FILE), StandardCharsets.UTF_8)) {
        generation.writeBookings(out);
      }
      return generation.summary();
    } catch (IOException e) {
      throw new UncheckedIOException("could not write sample data for " + runDate, e);
    }
  }

  private static void writeRates(Writer out) throws IOException {
    out.write("currency,rate_to_usd\n");
    for (String[] rate : RATES_TO_USD) {
      out.write(rate[0] + "," + rate[1] + "\n");
    }
  }

  /** One generation run: the random stream, the counters and the pending refund. */
  private static final class Generation {
    private final LocalDate runDate;
    private final String dateTag;
    private final long dayStart;
    private final int targetEvents;
    private final long seed;
    private final int hosts;
    private final SplittableRandom random;
    private final StringBuilder line = new StringBuilder(256);

    private long eventSeq;
    private long malformedSeq;
    private long chargedBookings;
    private long orphanSeq;
    private Event pendingRefund;

    private long linesWritten;
    private long events;
    private long charges;
    private long refunds;
    private long payouts;
    private long duplicates;
    private long malformed;
    private long late;
    private long unconvertible;
    private long bookingRows;

    private long cachedDay = Long.MIN_VALUE;
    private String cachedDayText;

    Generation(LocalDate runDate, int targetEvents, long seed) {
      this.runDate = runDate;
      this.dateTag = runDate.format(DateTimeFormatter.BASIC_ISO_DATE);
      this.dayStart = runDate.toEpochDay() * SECONDS_PER_DAY;
      this.targetEvents = targetEvents;
      this.seed = seed;
      this.hosts = Math.max(5, targetEvents / 40);
      this.random = new SplittableRandom(seed);
    }

    /** A valid event before it is written; amounts are in minor units of the currency. */
    private record Event(String type, String bookingId, String hostId, long minorAmount, String currency,
        long occurredAt, long ingestedAt, boolean late) {}

    void writeEvents(Writer out) throws IOException {
      // At least a few malformed lines at any size, evenly spread: a small sample must still
      // exercise the quarantine.
      long guaranteedMalformed = Math.min(5, Math.max(1, targetEvents / 100));
      long spacing = Math.max(1, targetEvents / guaranteedMalformed);
      while (events < targetEvents) {
        boolean guaranteed = targetEvents > 0 && events % spacing == spacing / 2 && malformed < guaranteedMalformed;
        if (guaranteed || random.nextDouble() < MALFORMED_LINES) {
          writeMalformed(out);
        }
        Event event;
        if (pendingRefund != null) {
          event = pendingRefund;
          pendingRefund = null;
        } else if (random.nextDouble() < PAYOUT_SHARE) {
          event = payout();
        } else {
          event = charge();
        }
        writeValid(out, event);
      }
    }

    private Event charge() {
      boolean late = random.nextDouble() < LATE_EVENTS;
      long occurredAt = occurredAt(late);
      Event charge;
      if (random.nextDouble() < CHARGES_WITHOUT_BOOKING) {
        int host = random.nextInt(hosts);
        Market market = marketOf(random.nextInt(hosts));
        charge = new Event("charge", "bk-" + dateTag + "-x" + pad(++orphanSeq, 6), hostId(host),
            randomMinor(market.currency(), 80, 2500), market.currency(), occurredAt, ingestedAt(occurredAt, late),
            late);
      } else {
        long booking = chargedBookings++;
        int host = hostOf(booking);
        Market market = marketOf(host);
        long total = guestTotalMinor(booking, market.currency());
        // A processor that captured less than the booking: reconciliation must call it UNDERPAID.
        long amount = random.nextDouble() < UNDERPAID_CHARGES ? total - Math.max(1, total / 10) : total;
        charge = new Event("charge", bookingId(booking), hostId(host), amount, market.currency(), occurredAt,
            ingestedAt(occurredAt, late), late);
      }
      if (random.nextDouble() < REFUNDED_CHARGES && events + 1 < targetEvents) {
        pendingRefund = refundOf(charge);
      }
      return charge;
    }

    // A refund follows its charge within two hours and never exceeds it, so hosts are never
    // asked to give back more than a booking paid them.
    private Event refundOf(Event charge) {
      long amount = random.nextDouble() < FULL_REFUNDS
          ? charge.minorAmount()
          : Math.max(1, charge.minorAmount() * (30 + random.nextInt(41)) / 100);
      long occurredAt = charge.occurredAt() + 600 + random.nextInt(6_600);
      return new Event("refund", charge.bookingId(), charge.hostId(), amount, charge.currency(), occurredAt,
          ingestedAt(occurredAt, charge.late()), charge.late());
    }

    private Event payout() {
      boolean late = random.nextDouble() < LATE_EVENTS;
      int host = random.nextInt(hosts);
      String currency = marketOf(host).currency();
      long occurredAt = occurredAt(late);
      return new Event("payout", null, hostId(host), randomMinor(currency, 50, 1500), currency, occurredAt,
          ingestedAt(occurredAt, late), late);
    }

    // Early enough in the day that a refund two hours later still falls on the same day.
    private long occurredAt(boolean late) {
      long second = dayStart + random.nextInt(SECONDS_PER_DAY - 7_200);
      return late ? second - SECONDS_PER_DAY : second;
    }

    // On time means within five minutes; a late event is ingested on the run date, a day after.
    private long ingestedAt(long occurredAt, boolean late) {
      long delay = 1 + random.nextInt(300);
      return occurredAt + delay + (late ? SECONDS_PER_DAY : 0);
    }

    private void writeValid(Writer out, Event event) throws IOException {
      String eventId = "evt-" + dateTag + "-" + pad(++eventSeq, 9);
      writeLine(out, eventJson(eventId, event.type(), event.bookingId(), event.hostId(),
          amountText(event.minorAmount(), event.currency()), event.currency(), event.occurredAt(),
          event.ingestedAt(), true));
      events++;
      switch (event.type()) {
        case "charge" -> charges++;
        case "refund" -> refunds++;
        default -> payouts++;
      }
      if (event.late()) {
        late++;
      }
      if (event.currency().equals(UNCONVERTIBLE_CURRENCY)) {
        unconvertible++;
      }
      if (random.nextDouble() < DUPLICATED_EVENTS) {
        // The retry is ingested later, so deduplication must keep the first copy.
        long resentAt = event.ingestedAt() + 1 + random.nextInt(600);
        writeLine(out, eventJson(eventId, event.type(), event.bookingId(), event.hostId(),
            amountText(event.minorAmount(), event.currency()), event.currency(), event.occurredAt(), resentAt,
            true));
        duplicates++;
      }
    }

    private void writeMalformed(Writer out) throws IOException {
      String eventId = "evt-" + dateTag + "-m" + pad(++malformedSeq, 8);
      int host = random.nextInt(hosts);
      String currency = marketOf(host).currency();
      long occurredAt = occurredAt(false);
      long ingestedAt = ingestedAt(occurredAt, false);
      String amount = amountText(randomMinor(currency, 50, 1500), currency);
      String text = switch (random.nextInt(4)) {
        case 0 -> {
          // A line cut short, as a crashed writer leaves it.
          String whole = eventJson(eventId, "payout", null, hostId(host), amount, currency, occurredAt, ingestedAt, true);
          yield whole.substring(0, whole.length() / 2);
        }
        case 1 -> eventJson(eventId, "payout", null, hostId(host), amount, currency, occurredAt, ingestedAt, false);
        case 2 -> eventJson(eventId, "payout", null, hostId(host), amount.replace('.', ',') + "x", currency,
            occurredAt, ingestedAt, true);
        default -> eventJson(eventId, "chargeback", bookingId(0), hostId(host), amount, currency, occurredAt,
            ingestedAt, true);
      };
      writeLine(out, text);
      malformed++;
    }

    void writeBookings(Writer out) throws IOException {
      out.write("booking_id,host_id,market,guest_total,currency,check_in\n");
      // A few bookings beyond the charged ones: reconciliation must report them NOT_CHARGED.
      long total = chargedBookings + Math.max(1, chargedBookings / 100);
      for (long booking = 0; booking < total; booking++) {
        int host = hostOf(booking);
        Market market = marketOf(host);
        LocalDate checkIn = runDate.plusDays(1 + Math.floorMod(mix(seed, booking, 3), 120));
        line.setLength(0);
        line.append(bookingId(booking)).append(',').append(hostId(host)).append(',').append(market.name())
            .append(',').append(amountText(guestTotalMinor(booking, market.currency()), market.currency()))
            .append(',').append(market.currency()).append(',').append(checkIn).append('\n');
        out.append(line);
      }
      bookingRows = total;
    }

    GenerationSummary summary() {
      return new GenerationSummary(linesWritten, events, charges, refunds, payouts, duplicates, malformed, late,
          unconvertible, bookingRows, orphanSeq);
    }

    // Identifiers, markets and totals are hashed from the seed, never drawn from the stream, so
    // the bookings file can recompute them.
    private int hostOf(long booking) {
      return (int) Math.floorMod(mix(seed, booking, 1), (long) hosts);
    }

    private Market marketOf(int host) {
      // Every 50th host, starting with the first, so even a tiny sample has one.
      if (host % UNCONVERTIBLE_EVERY_NTH_HOST == 0) {
        return UNCONVERTIBLE_MARKET;
      }
      return MARKETS.get((int) Math.floorMod(mix(seed, host, 2), (long) MARKETS.size()));
    }

    private long guestTotalMinor(long booking, String currency) {
      long major = 80 + Math.floorMod(mix(seed, booking, 4), 2_421L);
      long cents = Math.floorMod(mix(seed, booking, 5), 100L);
      return isWholeUnits(currency) ? major * 150 : major * 100 + cents;
    }

    private long randomMinor(String currency, int minMajor, int maxMajor) {
      long major = minMajor + random.nextInt(maxMajor - minMajor + 1);
      return isWholeUnits(currency) ? major * 150 : major * 100 + random.nextInt(100);
    }

    private String bookingId(long booking) {
      return "bk-" + dateTag + "-" + pad(booking + 1, 8);
    }

    private static String hostId(int host) {
      return "host-" + pad(host + 1, 6);
    }

    private String eventJson(String eventId, String type, String bookingId, String hostId, String amount,
        String currency, long occurredAt, long ingestedAt, boolean withCurrency) {
      // Every value is generated here from digits, letters and dashes: nothing needs escaping.
      line.setLength(0);
      line.append("{\"event_id\":\"").append(eventId)
          .append("\",\"event_type\":\"").append(type)
          .append("\",\"booking_id\":");
      if (bookingId == null) {
        line.append("null");
      } else {
        line.append('"').append(bookingId).append('"');
      }
      line.append(",\"host_id\":\"").append(hostId)
          .append("\",\"amount\":\"").append(amount).append('"');
      if (withCurrency) {
        line.append(",\"currency\":\"").append(currency).append('"');
      }
      line.append(",\"occurred_at\":\"");
      appendTimestamp(occurredAt);
      line.append("\",\"ingested_at\":\"");
      appendTimestamp(ingestedAt);
      line.append("\"}");
      return line.toString();
    }

    private void writeLine(Writer out, String text) throws IOException {
      out.write(text);
      out.write('\n');
      linesWritten++;
    }

    private void appendTimestamp(long epochSecond) {
      long day = Math.floorDiv(epochSecond, SECONDS_PER_DAY);
      if (day != cachedDay) {
        cachedDay = day;
        cachedDayText = LocalDate.ofEpochDay(day).toString();
      }
      int second = (int) Math.floorMod(epochSecond, (long) SECONDS_PER_DAY);
      line.append(cachedDayText).append('T');
      twoDigits(second / 3_600);
      line.append(':');
      twoDigits(second / 60 % 60);
      line.append(':');
      twoDigits(second % 60);
      line.append('Z');
    }

    private void twoDigits(int value) {
      line.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }
  }

  /** Yen have no minor unit; other currencies here have cents. */
  private static boolean isWholeUnits(String currency) {
    return currency.equals("JPY");
  }

  private static String amountText(long minor, String currency) {
    if (isWholeUnits(currency)) {
      return Long.toString(minor);
    }
    long cents = minor % 100;
    return (minor / 100) + (cents < 10 ? ".0" : ".") + cents;
  }

  private static String pad(long value, int width) {
    String digits = Long.toString(value);
    return digits.length() >= width ? digits : "0".repeat(width - digits.length()) + digits;
  }

  /** A well-mixed hash of (seed, index, purpose): SplitMix64's finalizer. */
  private static long mix(long seed, long index, int purpose) {
    long z = seed + index * 0x9E3779B97F4A7C15L + purpose * 0xD1B54A32D192ED03L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
