package org.medledger.sdk;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.medledger.protocol.CommitteeProtocol;

/**
 * A disclosure request as the ledger holds it (docs/client-sdk.md §12): who opened it, what it
 * targets and why, its mode and status (OPEN; OPENED with the plaintext for PUBLIC; SHARED for
 * PRIVATE once t members recorded their shares), and the members who shared in the current epoch.
 */
public record Disclosure(String id, String requester, CommitteeProtocol.Target targetKind, String targetId,
    String targetAccount, String reason, CommitteeProtocol.Mode mode, String status, List<String> sharedBy,
    List<String> concerned, Instant openedAt, Optional<BigInteger> plaintext) {

  public Disclosure {
    sharedBy = List.copyOf(sharedBy);
    concerned = List.copyOf(concerned);
  }

  static Disclosure fromJson(JsonObject o) {
    return new Disclosure(o.get("disclosureId").getAsString(), o.get("requester").getAsString(),
        CommitteeProtocol.Target.valueOf(o.get("targetKind").getAsString()), o.get("targetId").getAsString(),
        o.get("targetAccount").getAsString(), o.get("reason").getAsString(),
        CommitteeProtocol.Mode.valueOf(o.get("mode").getAsString()), o.get("status").getAsString(),
        strings(o, "sharedBy"), strings(o, "concerned"), Instant.parse(o.get("openedAt").getAsString()),
        o.has("plaintext") ? Optional.of(new BigInteger(o.get("plaintext").getAsString())) : Optional.empty());
  }

  private static List<String> strings(JsonObject o, String name) {
    List<String> out = new ArrayList<>();
    for (JsonElement e : o.getAsJsonArray(name)) {
      out.add(e.getAsString());
    }
    return out;
  }
}
