package org.medledger.sdk;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.Role;
import org.medledger.sdk.internal.Requests;

/**
 * What anyone on the channel can do without an account's secrets (docs/client-sdk.md §3.4):
 * read the public state as typed values, and, as a client of an admin organisation, set the
 * channel's configuration once.
 */
public final class PublicLedger {
  private final LedgerConnection ledger;

  public PublicLedger(LedgerConnection ledger) {
    this.ledger = Objects.requireNonNull(ledger, "ledger");
  }

  /**
   * The channel configuration (docs/chaincode.md §3): which organisations administer the channel,
   * which register which roles, which register patients.
   *
   * @param roles the roles each organisation registers, in the ledger's (sorted) order
   */
  public record ChannelConfig(String channel, String chaincode, List<String> adminMsps, List<String> patientMsps,
      Map<String, List<Role>> roles) {
    public ChannelConfig {
      adminMsps = List.copyOf(adminMsps);
      patientMsps = List.copyOf(patientMsps);
      Map<String, List<Role>> copy = new LinkedHashMap<>();
      roles.forEach((k, v) -> copy.put(k, List.copyOf(v)));
      roles = Collections.unmodifiableMap(copy);
    }

    static ChannelConfig parse(JsonObject o) {
      Map<String, List<Role>> roles = new LinkedHashMap<>();
      for (Map.Entry<String, JsonElement> e : o.getAsJsonObject("roles").entrySet()) {
        List<Role> r = new ArrayList<>();
        e.getValue().getAsJsonArray().forEach(x -> r.add(Role.valueOf(x.getAsString())));
        roles.put(e.getKey(), r);
      }
      return new ChannelConfig(o.get("channel").getAsString(), o.get("chaincode").getAsString(),
          strings(o.getAsJsonArray("adminMsps")), strings(o.getAsJsonArray("patientMsps")), roles);
    }
  }

  /** The channel's configuration and its regulator, empty until the regulator registered. */
  public record ChannelInfo(ChannelConfig config, Optional<String> regulator) {}

  /**
   * An account's public record.
   *
   * @param mspId the organisation whose gateway registered it
   * @param registrationTx the registering transaction
   */
  public record AccountInfo(String id, Role role, String mspId, Instant registeredAt, String registrationTx,
      PaillierPublicKey paillierKey, byte[] signingKey) {
    public AccountInfo {
      signingKey = signingKey.clone();
    }

    @Override
    public byte[] signingKey() {
      return signingKey.clone();
    }
  }

  /**
   * An account's money as anyone sees it: ciphertexts only.
   *
   * @param balance the stored balance, a Paillier ciphertext under the account's key, in base64
   * @param pendingCredits how many pending credits the first page (100) holds
   * @param morePending whether there are more than that
   */
  public record StoredBalance(String account, String balance, int pendingCredits, boolean morePending) {}

  /**
   * A committed money transaction as the ledger stores it, readable by every peer.
   *
   * @param amount the public amount of an issue; empty for a confidential transaction
   * @param amountPayer the payer's copy of the amount (base64 ciphertext), "" when there is none
   * @param amountPayee the payee's copy, "" when there is none
   * @param amountRegulator the regulator's copy, "" when there is none
   * @param proofDigest the digest of the transfer's proof bundle, "" when there is none
   */
  public record LedgerTransaction(String txId, String kind, Instant timestamp, String from, String to, OptionalLong amount,
      String amountPayer, String amountPayee, String amountRegulator, String proofDigest) {}

  /**
   * Sets the channel configuration (docs/chaincode.md §3), once; the connection's organisation must
   * be one of its admin organisations. Returns the configuration as stored.
   *
   * @throws LedgerCallException e.g. ALREADY_CONFIGURED, FORBIDDEN_ORGANISATION
   */
  public ChannelConfig configure(String configJson) throws LedgerCallException {
    return ChannelConfig.parse(CanonicalJson.parseObject(ledger.submit("accounts:configure", configJson)));
  }

  /**
   * The channel's configuration and regulator.
   *
   * @throws LedgerCallException NOT_CONFIGURED before {@link #configure}
   */
  public ChannelInfo channelInfo() throws LedgerCallException {
    JsonObject o = CanonicalJson.parseObject(ledger.evaluate("accounts:getChannel"));
    String regulator = o.get("regulator").getAsString();
    return new ChannelInfo(ChannelConfig.parse(o.getAsJsonObject("config")),
        regulator.isEmpty() ? Optional.empty() : Optional.of(regulator));
  }

  /**
   * A registered account.
   *
   * @throws LedgerCallException UNKNOWN_ACCOUNT if there is none
   */
  public AccountInfo account(String accountId) throws LedgerCallException {
    JsonObject a = CanonicalJson.parseObject(ledger.evaluate("accounts:getAccount", accountId));
    return new AccountInfo(a.get("id").getAsString(), Role.valueOf(a.get("role").getAsString()), a.get("mspId").getAsString(),
        Instant.parse(a.get("registeredAt").getAsString()), a.get("registrationTx").getAsString(),
        PaillierPublicKey.fromBytes(Requests.unb64(a.get("paillierKey").getAsString())),
        Requests.unb64(a.get("signingKey").getAsString()));
  }

  /** An account's stored balance and how many credits wait to be folded into it. */
  public StoredBalance storedBalance(String accountId) throws LedgerCallException {
    String balance = CanonicalJson.parseObject(ledger.evaluate("money:balance", accountId)).get("balance").getAsString();
    JsonObject credits = CanonicalJson.parseObject(ledger.evaluate("money:credits", accountId, "100", ""));
    return new StoredBalance(accountId, balance, credits.getAsJsonArray("items").size(),
        !credits.get("bookmark").getAsString().isEmpty());
  }

  /** A committed money transaction, or empty if the ledger (as this peer sees it) has none. */
  public Optional<LedgerTransaction> transaction(String txId) throws LedgerCallException {
    String text;
    try {
      text = ledger.evaluate("money:getTransaction", txId);
    } catch (LedgerCallException e) {
      if (e.kind() == LedgerCallException.Kind.REFUSED && e.errorCode().equals("MALFORMED_REQUEST")) {
        return Optional.empty(); // the chaincode's answer for "no transaction <id>"
      }
      throw e;
    }
    JsonObject r = CanonicalJson.parseObject(text);
    return Optional.of(new LedgerTransaction(r.get("txId").getAsString(), r.get("kind").getAsString(),
        Instant.parse(r.get("timestamp").getAsString()), r.get("from").getAsString(), r.get("to").getAsString(),
        r.has("amount") ? OptionalLong.of(r.get("amount").getAsLong()) : OptionalLong.empty(), opt(r, "amountPayer"),
        opt(r, "amountPayee"), opt(r, "amountRegulator"), opt(r, "proofDigest")));
  }

  private static String opt(JsonObject o, String name) {
    return o.has(name) ? o.get(name).getAsString() : "";
  }

  private static List<String> strings(JsonArray a) {
    List<String> out = new ArrayList<>();
    a.forEach(x -> out.add(x.getAsString()));
    return out;
  }
}
