package org.medledger.sdk.internal;

import java.security.SecureRandom;
import java.util.Objects;
import org.medledger.sdk.AccountSecrets;
import org.medledger.sdk.LedgerConnection;

/**
 * Not API: what the four clients' builders share ({@code AccountClient}, {@code RecordClient},
 * {@code CommitteeClient}, {@code ChannelClient}): the three required parts, each refused when null
 * (NullPointerException naming it), and one check before building. Each builder extends it with
 * itself as {@code B}, so the setters return that builder and application code reads as before.
 *
 * @param <B> the concrete builder
 */
public abstract class ClientBuilder<B extends ClientBuilder<B>> {
  private AccountSecrets secrets;
  private LedgerConnection ledger;
  private SecureRandom rnd;

  protected ClientBuilder() {}

  /** The account's secrets (required). */
  public B secrets(AccountSecrets s) {
    this.secrets = Objects.requireNonNull(s, "secrets");
    return self();
  }

  /** The connection to the ledger (required); several clients may share one. */
  public B ledger(LedgerConnection l) {
    this.ledger = Objects.requireNonNull(l, "ledger");
    return self();
  }

  /** The source of every secret the client draws (required). */
  public B random(SecureRandom r) {
    this.rnd = Objects.requireNonNull(r, "random");
    return self();
  }

  /** IllegalStateException unless secrets, ledger and random were all given. */
  protected final void requireParts() {
    if (secrets == null || ledger == null || rnd == null) {
      throw new IllegalStateException("secrets, ledger and random are required");
    }
  }

  protected final AccountSecrets secrets() {
    return secrets;
  }

  protected final LedgerConnection ledger() {
    return ledger;
  }

  protected final SecureRandom random() {
    return rnd;
  }

  /** {@code this}, as the concrete builder. */
  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }
}
