package org.medledger.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the test network's connection file: what is accepted, and the message for each mistake. */
class GatewayMaterialTest {
  private final TestPki pki = new TestPki("HospitalOrgCA");
  private final TestPki.Party user = pki.issue("User1@hospital", null);

  @TempDir
  Path dir;

  private JsonObject json;

  @BeforeEach
  void files() throws Exception {
    TestPki.write(dir.resolve("tlsca.pem"), new TestPki("tlsca").caCert);
    TestPki.write(dir.resolve("cert.pem"), user.cert());
    TestPki.write(dir.resolve("key.pem"), user.keys().getPrivate());
    json = new JsonObject();
    json.addProperty("mspId", "HospitalOrgMSP");
    json.addProperty("peerEndpoint", "127.0.0.1:7051");
    json.addProperty("hostOverride", "peer0.hospital.test");
    json.addProperty("tlsCaCert", "tlsca.pem");
    json.addProperty("certificate", dir.resolve("cert.pem").toString()); // absolute paths work too
    json.addProperty("privateKey", "key.pem");
    json.addProperty("channel", "medchannel");
    json.addProperty("chaincode", "medledger");
  }

  private Path write() throws Exception {
    Path f = dir.resolve("hospital.json");
    Files.writeString(f, json.toString());
    return f;
  }

  private String error() throws Exception {
    Path f = write();
    return assertThrows(GatewayMaterial.InvalidException.class, () -> GatewayMaterial.read(f)).getMessage();
  }

  @Test
  void readsEveryMemberAndResolvesRelativePathsAgainstTheFile() throws Exception {
    GatewayMaterial m = GatewayMaterial.read(write());
    assertEquals("HospitalOrgMSP", m.mspId());
    assertEquals("127.0.0.1", m.host());
    assertEquals(7051, m.port());
    assertEquals("peer0.hospital.test", m.hostOverride());
    assertEquals(dir.resolve("tlsca.pem").toAbsolutePath(), m.tlsCaCert());
    assertEquals(user.cert(), m.certificate());
    assertEquals("medchannel", m.channel());
    assertEquals("medledger", m.chaincode());
    assertFalse(m.toString().contains("PRIVATE"), "the key is never printed");
  }

  @Test
  void aMissingFileSaysSo() {
    String m = assertThrows(GatewayMaterial.InvalidException.class, () -> GatewayMaterial.read(dir.resolve("nope.json"))).getMessage();
    assertTrue(m.contains("nope.json") && m.contains("does not exist"), m);
  }

  @Test
  void notJsonOrNotAnObjectIsRefused() throws Exception {
    Path f = dir.resolve("bad.json");
    Files.writeString(f, "{\"mspId\": ");
    assertTrue(assertThrows(GatewayMaterial.InvalidException.class, () -> GatewayMaterial.read(f)).getMessage().contains("not valid JSON"));
    Files.writeString(f, "[1,2]");
    assertTrue(assertThrows(GatewayMaterial.InvalidException.class, () -> GatewayMaterial.read(f)).getMessage().contains("not a JSON object"));
  }

  @Test
  void eachMissingOrEmptyMemberIsNamed() throws Exception {
    for (String member : new String[] {"mspId", "peerEndpoint", "hostOverride", "tlsCaCert", "certificate", "privateKey", "channel",
        "chaincode"}) {
      files();
      json.remove(member);
      String m = error();
      assertTrue(m.contains("\"" + member + "\" is missing"), m);
      files();
      json.addProperty(member, "");
      assertTrue(error().contains("\"" + member + "\" must be a non-empty string"), member);
      files();
      json.addProperty(member, 7);
      assertTrue(error().contains("\"" + member + "\" must be a non-empty string"), member);
    }
  }

  @Test
  void theEndpointMustBeHostAndPort() throws Exception {
    for (String bad : new String[] {"127.0.0.1", ":7051", "127.0.0.1:", "127.0.0.1:http", "127.0.0.1:0", "127.0.0.1:70000"}) {
      json.addProperty("peerEndpoint", bad);
      assertTrue(error().contains("peerEndpoint"), bad);
    }
  }

  @Test
  void missingOrWrongPemFilesAreNamed() throws Exception {
    json.addProperty("tlsCaCert", "absent.pem");
    String m = error();
    assertTrue(m.contains("tlsCaCert") && m.contains("absent.pem") && m.contains("does not exist"), m);

    files();
    json.addProperty("certificate", "key.pem");
    m = error();
    assertTrue(m.contains("certificate") && m.contains("not a PEM X.509 certificate"), m);

    files();
    json.addProperty("privateKey", "cert.pem");
    m = error();
    assertTrue(m.contains("privateKey") && m.contains("not a PEM private key"), m);
  }

  @Test
  void aKeyOfAnotherIdentityIsRefused() throws Exception {
    TestPki.write(dir.resolve("other.pem"), pki.issue("User2@hospital", null).keys().getPrivate());
    json.addProperty("privateKey", "other.pem");
    String m = error();
    assertTrue(m.contains("does not belong to certificate"), m);
  }
}
