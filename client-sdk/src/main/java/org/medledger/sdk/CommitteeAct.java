package org.medledger.sdk;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.CommitteeProtocol;

/**
 * An act of the committee that t members sign (docs/client-sdk.md §12.3): one canonical body, bound
 * to the committee's epoch and act sequence number, and the members' signatures over it, collected
 * by passing the act from member to member ({@link CommitteeClient#sign}). The body is public; so
 * is a signature. Not thread-safe.
 */
public final class CommitteeAct {
  private final String function;
  private final JsonObject body;
  private final Map<String, byte[]> signatures = new LinkedHashMap<>();

  CommitteeAct(String function, JsonObject body) {
    this.function = function;
    this.body = body.deepCopy();
  }

  /** The chaincode function that takes the act, e.g. {@code committee:issue}. */
  public String function() {
    return function;
  }

  /** The canonical body every member signs. */
  public String body() {
    return CanonicalJson.toString(body);
  }

  JsonObject bodyObject() {
    return body.deepCopy();
  }

  /** The accounts that have signed so far, in signing order. */
  public List<String> signers() {
    return new ArrayList<>(signatures.keySet());
  }

  void add(String account, byte[] signature) {
    signatures.put(account, signature.clone());
  }

  /** The envelope the chaincode takes. */
  String toJson() {
    List<String> accounts = new ArrayList<>(signatures.keySet());
    List<byte[]> sigs = new ArrayList<>(signatures.values());
    return CommitteeProtocol.actJson(body, accounts, sigs);
  }

  @Override
  public String toString() {
    return "CommitteeAct[" + function + ", " + signatures.size() + " signatures]";
  }
}
