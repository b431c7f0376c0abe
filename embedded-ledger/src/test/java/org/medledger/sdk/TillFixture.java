package org.medledger.sdk;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.medledger.crypto.paillier.KeySize;
import org.medledger.crypto.paillier.PaillierKeyGenerator;
import org.medledger.embedded.EmbeddedConnection;
import org.medledger.embedded.EmbeddedLedger;
import org.medledger.embedded.MedLedgerContracts;
import org.medledger.protocol.Role;

/**
 * The channel the till suites ({@code TillTest}, {@code TillReviewTest}) share, set up once per
 * class: the institutions of {@link TestChannel}, three patients registered through the hospital's
 * till gateway and funded with 1,000 each by the insurer, and connections whose submissions a test
 * intercepts ({@link #intercepting}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TillFixture {
  final SecureRandom rnd = new SecureRandom();
  final EmbeddedLedger ledger = EmbeddedLedger.inMemory("medchannel", MedLedgerContracts.dispatcher());
  final Clock clock = new SteppingClock("2026-05-01T09:00:00Z");
  AccountClient hospital;
  AccountClient insurer;
  final List<AccountClient> patients = new ArrayList<>();
  LedgerConnection hospitalGateway;
  /** Commit statuses (validation codes) an {@link #intercepting} connection reports, by transaction id. */
  final Map<String, String> blocks = new HashMap<>();

  @BeforeAll
  void channel() throws Exception {
    TestChannel.Institutions t = TestChannel.institutions(ledger, clock, rnd);
    hospital = t.hospital();
    insurer = new AccountClient(t.insurerSecrets(), new EmbeddedConnection(ledger, t.insurerGateway(), "medledger", clock), rnd);
    hospitalGateway = new EmbeddedConnection(ledger, ledger.identity("HospitalOrgMSP", "till"), "medledger", clock);
    for (int i = 0; i < 3; i++) {
      AccountClient p = new AccountClient(AccountSecrets.generate(Role.PATIENT,
          new PaillierKeyGenerator(rnd).generate(KeySize.BITS_2048), rnd), hospitalGateway, rnd);
      p.register();
      insurer.pay(p.accountId(), 1_000);
      patients.add(p);
    }
  }

  /** What an {@link #intercepting} connection does with a submission. */
  @FunctionalInterface
  interface Submission {
    String submit(String function, String... args) throws LedgerCallException;
  }

  /**
   * A connection that hands submissions to {@code submit}, everything else to {@code inner}
   * ({@link ForwardingConnection}), and answers commit statuses from {@link #blocks}.
   */
  LedgerConnection intercepting(LedgerConnection inner, Submission submit) {
    return new ForwardingConnection(inner) {
      @Override
      public String submit(String function, String... args) throws LedgerCallException {
        return submit.submit(function, args);
      }

      @Override
      public Optional<String> commitStatus(String txId) {
        return Optional.ofNullable(blocks.get(txId));
      }
    };
  }
}
