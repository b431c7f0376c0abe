package org.medledger.sdk.docs;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.medledger.crypto.paillier.PaillierSecretKey;
import org.medledger.protocol.Role;
import org.medledger.sdk.AccountClient;
import org.medledger.sdk.AccountSecrets;
import org.medledger.sdk.GatewayConnection;
import org.medledger.sdk.Transfer;

/**
 * The gateway example of docs/client-sdk.md §11.2: a patient app registers through its hospital's
 * gateway peer and pays a fee without holding its UI thread. {@code GatewayNetworkIT} runs it on the
 * test network; {@code GatewayExampleDocTest} checks that the doc shows it verbatim.
 */
public final class GatewayExample {
  private GatewayExample() {}

  /** What the example saw: the committed fee and the balance left. */
  public record Outcome(Transfer fee, long left) {}

  /**
   * Runs the example.
   *
   * @param runDir a test network's run directory (its {@code gateway/hospital.json})
   * @param key the patient's Paillier key
   * @param fund pays the new patient's account (an insurer, in the test)
   * @param hospitalId the hospital account to pay
   * @return what it saw
   * @throws Exception on any failure
   */
  public static Outcome run(Path runDir, PaillierSecretKey key, Consumer<String> fund, String hospitalId) throws Exception {
    // [doc:gateway-example]
    SecureRandom rnd = new SecureRandom();
    try (GatewayConnection hospitalOrg = GatewayConnection.connect(runDir.resolve("gateway/hospital.json"))) {
      AccountClient patient = AccountClient.builder().ledger(hospitalOrg).random(rnd)
          .secrets(AccountSecrets.generate(Role.PATIENT, key, rnd)).build();
      patient.register();                      // through HospitalOrgMSP, one of the channel's patient organisations
      fund.accept(patient.accountId());        // an insurer funds the card

      CompletableFuture<Transfer> paying = patient.payAsync(hospitalId, 1_200);   // proof and commit off this thread
      Transfer fee = paying.get();             // completes once the payment committed (or failed, with the truth)
      long left = patient.balance();
      // [/doc:gateway-example]
      return new Outcome(fee, left);
    }
  }
}
