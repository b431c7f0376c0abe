package org.medledger.protocol;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the {@code stats} contract and its clients agree on (docs/chaincode.md §11, docs/protocol.md
 * §11.9): the kinds of bucket, the one canonical spelling of a bucket id, the calendar month of a
 * transaction timestamp and the limits of folding and listing.
 *
 * <p>A bucket is (account, kind, month): the money an institution received (or, for FUND, paid out)
 * in one calendar month (UTC) by one kind of transaction, or (hospital, RECORDS, month) for the
 * statistical contributions attached to the records a hospital wrote. Its id is
 * {@code <yyyy-MM>.<KIND>.<account>}, e.g. {@code 2026-11.PAY.hospital-1}; exactly one string names
 * each bucket, and no id names a union of buckets, so no two openings can overlap.
 */
public final class StatsProtocol {
  /** The kinds of bucket. */
  public enum Kind {
    /** Money issued to an insurer (public amount, encrypted deterministically with r = 1). */
    ISSUE,
    /** Transfers from an insurer to a patient, bucketed under the insurer (the payer). */
    FUND,
    /** Transfers from a patient to a hospital. */
    PAY,
    /** Transfers from an insurer to a hospital. */
    SETTLE,
    /** Any other transfer to a hospital or an insurer, bucketed under the payee. */
    TRANSFER,
    /** The net amount of a payment channel's settlement (or its penalty payout) to a hospital or insurer. */
    CHANNEL,
    /** Statistical contributions of records written by a hospital (packed counters and fee, docs/protocol.md §11.4). */
    RECORDS;

    /** True for the money kinds (an amount under the committee key), false for RECORDS. */
    public boolean money() {
      return this != RECORDS;
    }
  }

  /** The state of a bucket as the chaincode reports it. */
  public enum State {
    /** Its month is not over (by the asking transaction's timestamp): contributions still arrive. */
    COLLECTING,
    /** Its month is over and no fold has started. */
    CLOSED,
    /** Its month is over; some contributions are in the running aggregate, some not yet. */
    FOLDING,
    /**
     * Its month is over and every contribution written so far is folded: ready to be opened. Not
     * sealed: a contribution written later (a back-dated one) makes it FOLDING again.
     */
    FOLDED,
    /**
     * A committee member's signed opening request has sealed the bucket: its aggregate and count are
     * final; contributions written afterwards are late and never counted.
     */
    OPENING,
    /** The result is published on chain. */
    OPENED
  }

  /** Contributions a bucket needs before it may be opened, unless the channel configuration says otherwise. */
  public static final int DEFAULT_MIN_CONTRIBUTIONS = 10;
  /** Least value of the configured minimum (k = 1 would open single payments). */
  public static final int MIN_MIN_CONTRIBUTIONS = 2;
  /** Largest value of the configured minimum. */
  public static final int MAX_MIN_CONTRIBUTIONS = 1_000_000;
  /** Most contributions one {@code stats:fold} transaction folds. */
  public static final int MAX_FOLD_BATCH = 500;
  /** Longest bucket id, in characters: month (7), kind (at most 8), two dots and an account id (128). */
  public static final int MAX_BUCKET_ID_CHARS = 7 + 1 + 8 + 1 + 128;

  private static final Pattern BUCKET = Pattern.compile(
      "([0-9]{4}-(?:0[1-9]|1[0-2]))\\.(ISSUE|FUND|PAY|SETTLE|TRANSFER|CHANNEL|RECORDS)\\.([A-Za-z0-9._-]{1,128})");

  private StatsProtocol() {}

  /** A parsed bucket id. */
  public record Bucket(YearMonth month, Kind kind, String account) {
    public Bucket {
      if (month == null || kind == null || account == null) {
        throw new IllegalArgumentException("month, kind and account are required");
      }
      if (month.getYear() < 0 || month.getYear() > 9999) {
        throw new IllegalArgumentException("year outside 0000..9999");
      }
      if (!account.matches("[A-Za-z0-9._-]{1,128}")) {
        throw new IllegalArgumentException("account is not an id");
      }
    }

    /** The canonical id {@code <yyyy-MM>.<KIND>.<account>}. */
    public String id() {
      return StatsProtocol.monthText(month) + "." + kind.name() + "." + account;
    }

    /** The month's text, {@code yyyy-MM}. */
    public String monthText() {
      return StatsProtocol.monthText(month);
    }

    /** First instant (UTC) after the month: the bucket is closed for a transaction dated at or after it. */
    public Instant closesAt() {
      return month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    @Override
    public String toString() {
      return id();
    }
  }

  /**
   * Parses a bucket id, refusing (IllegalArgumentException) anything that is not exactly the
   * canonical spelling of one bucket: no wildcard, range, list, padding or lower-case kind.
   */
  public static Bucket parse(String id) {
    if (id == null || id.isEmpty() || id.length() > MAX_BUCKET_ID_CHARS) {
      throw new IllegalArgumentException("a bucket id has 1.." + MAX_BUCKET_ID_CHARS + " characters");
    }
    Matcher m = BUCKET.matcher(id);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a bucket id (yyyy-MM.KIND.account): " + id);
    }
    Bucket b = new Bucket(YearMonth.parse(m.group(1)), Kind.valueOf(m.group(2)), m.group(3));
    if (!b.id().equals(id)) {
      throw new IllegalArgumentException("not the canonical spelling of a bucket id: " + id);
    }
    return b;
  }

  /** The calendar month (UTC) of a transaction timestamp. */
  public static YearMonth month(Instant t) {
    LocalDate d = t.atOffset(ZoneOffset.UTC).toLocalDate();
    return YearMonth.of(d.getYear(), d.getMonth());
  }

  /**
   * {@code yyyy-MM} with a four-digit year, in ASCII digits whatever the JVM's default locale (under
   * ar-EG, say, String.format would write Arabic-Indic digits: another key on another peer).
   */
  public static String monthText(YearMonth m) {
    return String.format(Locale.ROOT, "%04d-%02d", m.getYear(), m.getMonthValue());
  }

  /** {@link #monthText} of {@link #month}. */
  public static String monthText(Instant t) {
    return monthText(month(t));
  }

  /**
   * The kind of a transfer from a payer of role {@code payer} to a payee of role {@code payee}, and
   * whose bucket it enters: FUND (insurer → patient) under the payer; PAY (patient → hospital),
   * SETTLE (insurer → hospital) and TRANSFER (any other payer → hospital or insurer) under the payee;
   * none (null) when neither side is an institution whose totals are bucketed (a patient's own
   * payments and receipts are personal and never bucketed).
   */
  public static Kind transferKind(Role payer, Role payee) {
    if (payer == Role.INSURER && payee == Role.PATIENT) {
      return Kind.FUND;
    }
    if (payee == Role.HOSPITAL) {
      return payer == Role.PATIENT ? Kind.PAY : payer == Role.INSURER ? Kind.SETTLE : Kind.TRANSFER;
    }
    if (payee == Role.INSURER) {
      return Kind.TRANSFER;
    }
    return null;
  }

  /** True iff the bucket of a transfer of this kind is the payer's (FUND), false if the payee's. */
  public static boolean bucketsUnderPayer(Kind kind) {
    return kind == Kind.FUND;
  }
}
