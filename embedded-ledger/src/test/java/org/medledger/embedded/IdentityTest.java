package org.medledger.embedded;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Identities: real X.509 certificates in a real msp.SerializedIdentity, seen by the contract. */
class IdentityTest {
  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

  @Test
  void theContractSeesTheSubmitter() {
    try (EmbeddedLedger ledger = EmbeddedLedger.inMemory("ids", new CounterContract())) {
      Identity alice = ledger.identity("Org1MSP", "alice");
      Identity insurer = ledger.identity("InsuranceMSP", "claims@insurer.example");
      assertEquals("Org1MSP\nx509::CN=alice, OU=client, O=Org1MSP::CN=ca.Org1MSP, O=Org1MSP",
          new String(ledger.evaluate(alice, T0, "whoami"), UTF_8));
      assertEquals("InsuranceMSP\nx509::CN=claims@insurer.example, OU=client, O=InsuranceMSP::CN=ca.InsuranceMSP, O=InsuranceMSP",
          new String(ledger.evaluate(insurer, T0, "whoami"), UTF_8));
    }
  }

  @Test
  void theCreatorIsASerializedIdentityWithAPemCertificate() throws Exception {
    try (EmbeddedLedger ledger = EmbeddedLedger.inMemory("ids", new CounterContract())) {
      Identity alice = ledger.identity("Org1MSP", "alice");
      SerializedIdentity si = SerializedIdentity.parseFrom(alice.creator());
      assertEquals("Org1MSP", si.getMspid());
      String pem = si.getIdBytes().toStringUtf8();
      assertEquals(alice.certificatePem(), pem);
      X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(pem.getBytes(UTF_8)));
      assertEquals(alice.certificate(), cert);
      assertEquals("SHA256withECDSA", cert.getSigAlgName());
      assertEquals("EC", cert.getPublicKey().getAlgorithm());
      assertEquals(-1, cert.getBasicConstraints(), "a client certificate is not a CA");
    }
  }

  @Test
  void identitiesAreMadeOnceAndAreTheSameInEveryInMemoryRun() {
    try (EmbeddedLedger one = EmbeddedLedger.inMemory("ids", new CounterContract());
        EmbeddedLedger two = EmbeddedLedger.inMemory("ids", new CounterContract())) {
      Identity alice = one.identity("Org1MSP", "alice");
      assertSame(alice, one.identity("Org1MSP", "alice"));
      assertEquals(alice, two.identity("Org1MSP", "alice"));
      Identity bob = one.identity("Org1MSP", "bob");
      assertNotEquals(alice, bob);
      assertEquals(alice.certificate().getIssuerX500Principal(), bob.certificate().getIssuerX500Principal());
      assertNotEquals(alice.certificate().getIssuerX500Principal(),
          one.identity("Org2MSP", "alice").certificate().getIssuerX500Principal());
    }
  }

  @Test
  void aPersistedLedgerKeepsItsCaAndClients(@TempDir Path dir) throws Exception {
    Identity alice;
    try (EmbeddedLedger ledger = EmbeddedLedger.open(dir, "ids", new CounterContract())) {
      alice = ledger.identity("Org1MSP", "alice");
    }
    X509Certificate ca;
    try (InputStream in = Files.newInputStream(dir.resolve("msp/Org1MSP/ca-cert.pem"))) {
      ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    ca.verify(ca.getPublicKey());
    alice.certificate().verify(ca.getPublicKey());
    assertEquals(ca.getSubjectX500Principal(), alice.certificate().getIssuerX500Principal());
    assertEquals(Integer.MAX_VALUE, ca.getBasicConstraints());
    try (EmbeddedLedger reopened = EmbeddedLedger.open(dir, "ids", new CounterContract())) {
      assertArrayEquals(alice.creator(), reopened.identity("Org1MSP", "alice").creator());
      reopened.identity("Org1MSP", "bob").certificate().verify(ca.getPublicKey());
    }
  }

  @Test
  void namesMustBeSafe() {
    try (EmbeddedLedger ledger = EmbeddedLedger.inMemory("ids", new CounterContract())) {
      assertThrows(IllegalArgumentException.class, () -> ledger.identity("../Org1MSP", "alice"));
      assertThrows(IllegalArgumentException.class, () -> ledger.identity("Org1MSP", "a/b"));
      assertThrows(IllegalArgumentException.class, () -> ledger.identity("", "alice"));
    }
  }
}
