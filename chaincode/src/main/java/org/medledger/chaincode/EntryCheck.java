package org.medledger.chaincode;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.medledger.protocol.ErrorCode;

/**
 * The single entry check of every contract function (docs/chaincode.md §6.1), run before a
 * contract sees a proposal: on a peer by {@link GuardedChaincode} in front of Fabric's contract
 * router, in the embedded ledger by {@link ContractDispatcher}. The function must be one of the
 * table below ({@code contract:function}), the argument count must match exactly, every argument
 * must be within its kind's byte limit (checked on the length alone, before anything is decoded
 * or parsed) and well-formed UTF-8 text, and id arguments must be ids ({@link Ids}). Refusals are
 * MALFORMED_REQUEST, or PAYLOAD_TOO_LARGE for an argument over its limit.
 */
final class EntryCheck {
  /** What an argument is, and the most bytes it may have. */
  enum Kind {
    /** An id ({@link Ids}). */
    ID(Ids.MAX_ID_BYTES),
    /** An id, or empty for "all". */
    ID_OR_EMPTY(Ids.MAX_ID_BYTES),
    /** A signed request (canonical JSON). */
    REQUEST(Requests.MAX_REQUEST_BYTES),
    /** A batch of signed transfer requests (canonical JSON). */
    BATCH(org.medledger.protocol.Limits.MAX_BATCH_BYTES),
    /** The channel configuration (JSON). */
    CONFIG(AccountContract.MAX_CONFIG_BYTES),
    /** A page size; its value is checked by the function. */
    PAGE_SIZE(32),
    /** A bookmark; its value is checked by the function. */
    BOOKMARK(1024),
    /** A statistics bucket id or month ("" for all months); its value is checked by the function. */
    BUCKET(org.medledger.protocol.StatsProtocol.MAX_BUCKET_ID_CHARS);

    final int maxBytes;

    Kind(int maxBytes) {
      this.maxBytes = maxBytes;
    }
  }

  /** Longest function name, in bytes. */
  static final int MAX_FUNCTION_BYTES = 128;

  private static final Map<String, List<Kind>> FUNCTIONS = new TreeMap<>();

  static {
    Kind i = Kind.ID;
    Kind r = Kind.REQUEST;
    Kind p = Kind.PAGE_SIZE;
    Kind b = Kind.BOOKMARK;
    fn("accounts:configure", Kind.CONFIG);
    fn("accounts:register", r);
    fn("accounts:getAccount", i);
    fn("accounts:getNonce", i);
    fn("accounts:getChannel");
    fn("money:issue", r);
    fn("money:transfer", r);
    fn("money:transferBatch", Kind.BATCH);
    fn("money:transferByNonce", i, i);
    fn("money:fold", r);
    fn("money:balance", i);
    fn("money:credits", i, p, b);
    fn("money:history", i, p, b);
    fn("money:audit", p, b);
    fn("money:getTransaction", i);
    fn("records:setup", r);
    fn("records:getSetup");
    fn("records:write", r);
    fn("records:correct", r);
    fn("records:getRecord", i);
    fn("records:listRecords", i, p, b);
    fn("records:grant", r);
    fn("records:share", r);
    fn("records:revoke", r);
    fn("records:getGrant", i);
    fn("records:listGrants", i, p, b);
    fn("records:listCopies", i, p, b);
    fn("records:read", r);
    fn("records:trail", r, p, b);
    fn("records:auditTrail", Kind.ID_OR_EMPTY, p, b);
    fn("records:fileClaim", r);
    fn("records:settleClaim", r);
    fn("records:rejectClaim", r);
    fn("records:getClaim", i);
    fn("records:listClaims", i, p, b);
    fn("channels:open", r, r);
    fn("channels:coopClose", r);
    fn("channels:touch", r);
    fn("channels:close", r);
    fn("channels:dispute", r);
    fn("channels:answer", r);
    fn("channels:contest", r);
    fn("channels:settle", i);
    fn("channels:getChannel", i);
    fn("channels:channelsOf", i, p, b);
    fn("committee:register", r);
    fn("committee:issue", r);
    fn("committee:reshare", r);
    fn("committee:getCommittee");
    fn("committee:open", r);
    fn("committee:share", r);
    fn("committee:getDisclosure", i);
    fn("committee:listDisclosures", p, b);
    fn("committee:trail", r, p, b);
    fn("stats:getBucket", Kind.BUCKET);
    fn("stats:listBuckets", Kind.BUCKET, p, b);
    fn("stats:fold", Kind.BUCKET, p);
    fn("stats:publish", Kind.BUCKET);
    // Fabric's system contract, which the router adds on a peer: the contracts' metadata.
    fn("org.hyperledger.fabric:GetMetadata");
  }

  private static void fn(String name, Kind... args) {
    FUNCTIONS.put(name, List.of(args));
  }

  private EntryCheck() {}

  /** The argument kinds of {@code function}, or null if it is not a MedLedger function. */
  static List<Kind> signature(String function) {
    return FUNCTIONS.get(function);
  }

  /**
   * Checks a proposal as a peer delivers it: {@code args.get(0)} is the function name, the rest
   * its arguments, all as bytes.
   */
  static void check(List<byte[]> args) {
    if (args.isEmpty()) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "no function named");
    }
    byte[] f = args.get(0);
    if (f.length > MAX_FUNCTION_BYTES) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "unknown function (a " + f.length + "-byte name)");
    }
    String function = decode(f, "the function name");
    List<Kind> kinds = kinds(function, args.size() - 1);
    for (int k = 0; k < kinds.size(); k++) {
      checkSize(function, k, kinds.get(k), args.get(k + 1).length);
    }
    for (int k = 0; k < kinds.size(); k++) {
      checkText(function, k, kinds.get(k), decode(args.get(k + 1), "argument " + (k + 1) + " of " + function));
    }
  }

  /** Checks a proposal as the embedded ledger delivers it: function name and arguments as text. */
  static void check(String function, List<String> args) {
    if (function.length() > MAX_FUNCTION_BYTES) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "unknown function (a " + function.length() + "-character name)");
    }
    List<Kind> kinds = kinds(function, args.size());
    for (int k = 0; k < kinds.size(); k++) {
      checkSize(function, k, kinds.get(k), utf8Length(args.get(k), kinds.get(k).maxBytes));
    }
    for (int k = 0; k < kinds.size(); k++) {
      String a = args.get(k);
      if (!wellFormed(a)) {
        throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "argument " + (k + 1) + " of " + function
            + " is not well-formed Unicode text");
      }
      checkText(function, k, kinds.get(k), a);
    }
  }

  private static List<Kind> kinds(String function, int count) {
    List<Kind> kinds = FUNCTIONS.get(function);
    if (kinds == null) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "unknown function " + function);
    }
    if (count != kinds.size()) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, function + " takes " + kinds.size() + " arguments, got " + count);
    }
    return kinds;
  }

  private static void checkSize(String function, int k, Kind kind, long bytes) {
    if (bytes > kind.maxBytes) {
      throw LedgerException.of(ErrorCode.PAYLOAD_TOO_LARGE, "argument " + (k + 1) + " of " + function + " exceeds "
          + kind.maxBytes + " bytes");
    }
  }

  private static void checkText(String function, int k, Kind kind, String a) {
    if (kind == Kind.ID || (kind == Kind.ID_OR_EMPTY && !a.isEmpty())) {
      Ids.check("argument " + (k + 1) + " of " + function, a);
    }
  }

  private static String decode(byte[] b, String what) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b))
          .toString();
    } catch (CharacterCodingException e) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, what + " is not UTF-8");
    }
  }

  /**
   * The UTF-8 length of {@code s}, or some number above {@code cap} once it is known to exceed it
   * (a string longer than {@code cap} characters is, without looking at them).
   */
  static long utf8Length(String s, int cap) {
    if (s.length() > cap) {
      return s.length();
    }
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      n += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
    }
    return n;
  }

  /** No lone surrogate: the text has a UTF-8 encoding that decodes back to it. */
  static boolean wellFormed(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }
}
