package org.medledger.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.medledger.embedded.EmbeddedConnection;
import org.medledger.embedded.EmbeddedLedger;
import org.medledger.embedded.MedLedgerContracts;
import org.medledger.protocol.Role;
import org.medledger.sdk.channel.ChannelClient;
import org.medledger.sdk.internal.ClientBuilder;

/**
 * The four clients' builders share their required parts ({@link ClientBuilder}, docs/client-sdk.md
 * §3.1): each refuses a null part by name, refuses to build without all three, and builds with them.
 */
class ClientBuilderTest {
  private static final SecureRandom RND = new SecureRandom();

  private static List<Supplier<ClientBuilder<?>>> builders() {
    return List.of(AccountClient::builder, RecordClient::builder, CommitteeClient::builder, ChannelClient::builder);
  }

  @Test
  void everyBuilderNeedsSecretsLedgerAndRandom() {
    EmbeddedLedger ledger = EmbeddedLedger.inMemory("medchannel", MedLedgerContracts.dispatcher());
    LedgerConnection connection = new EmbeddedConnection(ledger, ledger.identity("HospitalOrgMSP", "gw"), "medledger",
        java.time.Clock.systemUTC());
    AccountSecrets secrets = AccountSecrets.signingOnly(Role.REGULATOR, RND);
    for (Supplier<ClientBuilder<?>> b : builders()) {
      assertEquals("secrets", assertThrows(NullPointerException.class, () -> b.get().secrets(null)).getMessage());
      assertEquals("ledger", assertThrows(NullPointerException.class, () -> b.get().ledger(null)).getMessage());
      assertEquals("random", assertThrows(NullPointerException.class, () -> b.get().random(null)).getMessage());
    }
    // Source compatibility: each setter returns the client's own builder, so build() follows it.
    assertThrows(IllegalStateException.class, () -> AccountClient.builder().secrets(secrets).ledger(connection).build());
    assertThrows(IllegalStateException.class, () -> RecordClient.builder().ledger(connection).random(RND).build());
    assertThrows(IllegalStateException.class, () -> CommitteeClient.builder().secrets(secrets).random(RND).build());
    assertThrows(IllegalStateException.class, () -> ChannelClient.builder().build());
    assertNotNull(AccountClient.builder().secrets(secrets).ledger(connection).random(RND).build());
    assertNotNull(RecordClient.builder().secrets(secrets).ledger(connection).random(RND).build());
    assertNotNull(CommitteeClient.builder().random(RND).secrets(secrets).ledger(connection).build());
    assertNotNull(ChannelClient.builder().ledger(connection).random(RND).secrets(secrets).build());
  }
}
