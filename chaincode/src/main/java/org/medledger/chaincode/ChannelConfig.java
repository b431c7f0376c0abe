package org.medledger.chaincode;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.ErrorCode;
import org.medledger.protocol.Role;
import org.medledger.protocol.StatsProtocol;

/**
 * Chaincode configuration, set once per channel by an administrator organisation
 * (docs/chaincode.md §3): the channel and chaincode names that requests are bound to, which
 * organisation (MSP id) may register which institutional roles, and which organisations' gateways
 * may register patients.
 *
 * <pre>{"channel":"medchannel","chaincode":"medledger","adminMsps":["RegulatorOrgMSP"],
 *  "roles":{"HospitalOrgMSP":["HOSPITAL"],"InsurerOrgMSP":["INSURER"],"RegulatorOrgMSP":["REGULATOR"]},
 *  "patientMsps":["HospitalOrgMSP","InsurerOrgMSP","RegulatorOrgMSP"]}</pre>
 *
 * <p>Optional: {@code "statsMinContributions"}, the k of the statistics buckets (docs/chaincode.md
 * §11.4), {@value StatsProtocol#MIN_MIN_CONTRIBUTIONS}..{@value StatsProtocol#MAX_MIN_CONTRIBUTIONS},
 * default {@value StatsProtocol#DEFAULT_MIN_CONTRIBUTIONS} (then absent from the stored JSON).
 */
public record ChannelConfig(String channel, String chaincode, Set<String> adminMsps,
    Map<String, Set<Role>> roles, Set<String> patientMsps, int statsMinContributions) {

  /** A configuration with the default k. */
  public ChannelConfig(String channel, String chaincode, Set<String> adminMsps, Map<String, Set<Role>> roles,
      Set<String> patientMsps) {
    this(channel, chaincode, adminMsps, roles, patientMsps, StatsProtocol.DEFAULT_MIN_CONTRIBUTIONS);
  }

  public static ChannelConfig parse(String json) {
    JsonObject o = Json.object(json);
    int k = StatsProtocol.DEFAULT_MIN_CONTRIBUTIONS;
    if (o.has("statsMinContributions")) {
      k = (int) Json.integer(o, "statsMinContributions", StatsProtocol.MIN_MIN_CONTRIBUTIONS,
          StatsProtocol.MAX_MIN_CONTRIBUTIONS);
      o.remove("statsMinContributions");
    }
    Json.onlyMembers(o, "channel", "chaincode", "adminMsps", "roles", "patientMsps");
    String channel = Json.string(o, "channel", 64);
    String chaincode = Json.string(o, "chaincode", 64);
    Set<String> admins = Json.stringSet(o, "adminMsps", 32);
    Set<String> patients = Json.stringSet(o, "patientMsps", 32);
    JsonObject r = Json.obj(o, "roles");
    Map<String, Set<Role>> roles = new TreeMap<>();
    for (Map.Entry<String, JsonElement> e : r.entrySet()) {
      Set<Role> set = EnumSet.noneOf(Role.class);
      if (!e.getValue().isJsonArray()) {
        throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "roles of " + e.getKey() + " must be an array");
      }
      for (JsonElement x : e.getValue().getAsJsonArray()) {
        Role role = Json.role(x);
        if (role == Role.PATIENT) {
          throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "patients are registered through patientMsps");
        }
        set.add(role);
      }
      roles.put(e.getKey(), set);
    }
    if (admins.isEmpty()) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "at least one admin organisation is needed");
    }
    return new ChannelConfig(channel, chaincode, admins, roles, patients, k);
  }

  /** True iff a client of {@code mspId} may register an account with {@code role}. */
  public boolean mayRegister(String mspId, Role role) {
    if (role == Role.PATIENT) {
      return patientMsps.contains(mspId);
    }
    return roles.getOrDefault(mspId, Set.of()).contains(role);
  }

  public String toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("channel", channel);
    o.addProperty("chaincode", chaincode);
    o.add("adminMsps", array(adminMsps));
    o.add("patientMsps", array(patientMsps));
    JsonObject r = new JsonObject();
    Map<String, Set<Role>> sorted = new LinkedHashMap<>(new TreeMap<>(roles));
    for (Map.Entry<String, Set<Role>> e : sorted.entrySet()) {
      JsonArray a = new JsonArray();
      e.getValue().stream().sorted().forEach(x -> a.add(x.name()));
      r.add(e.getKey(), a);
    }
    o.add("roles", r);
    if (statsMinContributions != StatsProtocol.DEFAULT_MIN_CONTRIBUTIONS) {
      o.addProperty("statsMinContributions", statsMinContributions);
    }
    return CanonicalJson.toString(o);
  }

  private static JsonArray array(Set<String> s) {
    JsonArray a = new JsonArray();
    s.stream().sorted().forEach(a::add);
    return a;
  }
}
