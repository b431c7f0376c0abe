package org.medledger.sdk;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Set;
import org.medledger.protocol.CanonicalJson;

/**
 * A medical record in the format of the paper's Table 1 (docs/records.md §6): the patient's
 * name, ID number, phone, e-mail and address, the fee (in minor currency units, e.g. cents) and
 * the prescription. Encoded as canonical JSON; this is the document a hospital encrypts under the
 * patient's key. Holds personal data: never logged, {@code toString} is redacted.
 */
public record MedicalRecord(String name, String idNumber, String phone, String email, String address, long fee,
    String prescription) {
  private static final Set<String> MEMBERS = Set.of("name", "idNumber", "phone", "email", "address", "fee", "prescription");

  public MedicalRecord {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(idNumber, "idNumber");
    Objects.requireNonNull(phone, "phone");
    Objects.requireNonNull(email, "email");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(prescription, "prescription");
    if (fee < 0) {
      throw new IllegalArgumentException("a fee is not negative");
    }
  }

  /** The canonical JSON encoding, UTF-8. */
  public byte[] toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("name", name);
    o.addProperty("idNumber", idNumber);
    o.addProperty("phone", phone);
    o.addProperty("email", email);
    o.addProperty("address", address);
    o.addProperty("fee", fee);
    o.addProperty("prescription", prescription);
    return CanonicalJson.toBytes(o);
  }

  /** Parses the encoding strictly: exactly the seven members, strings and a non-negative integer fee. */
  public static MedicalRecord fromJson(byte[] json) {
    JsonObject o;
    try {
      o = CanonicalJson.parseObject(new String(json, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a Table 1 record: " + e.getMessage(), e);
    }
    if (!o.keySet().equals(MEMBERS)) {
      throw new IllegalArgumentException("a Table 1 record has exactly the members " + MEMBERS);
    }
    JsonElement fee = o.get("fee");
    long f;
    try {
      if (!(fee instanceof JsonPrimitive p) || !p.isNumber()) {
        throw new ArithmeticException();
      }
      f = new BigDecimal(p.getAsString()).longValueExact();
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException("fee must be an integer", e);
    }
    return new MedicalRecord(string(o, "name"), string(o, "idNumber"), string(o, "phone"), string(o, "email"),
        string(o, "address"), f, string(o, "prescription"));
  }

  private static String string(JsonObject o, String name) {
    JsonElement e = o.get(name);
    if (!(e instanceof JsonPrimitive p) || !p.isString()) {
      throw new IllegalArgumentException(name + " must be a string");
    }
    return p.getAsString();
  }

  @Override
  public String toString() {
    return "MedicalRecord[personal data redacted]";
  }
}
