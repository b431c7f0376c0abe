package org.medledger.sdk.channel;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.medledger.protocol.ChannelMessages;
import org.medledger.protocol.Role;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.testing.TestKeys;
import org.medledger.sdk.AccountSecrets;

/**
 * Channel parameters for off-chain tests without a ledger: A is an insurer (test key b), B a
 * hospital (test key a), the regulator has test key c, and the deposit ciphertexts are fresh
 * encryptions of the deposits, as an open transaction would record them.
 */
final class TestChannels {
  static final SecureRandom RND = new SecureRandom();

  private TestChannels() {}

  static AccountSecrets secrets(Role role, byte[] seed) {
    return new AccountSecrets(role, seed, role == Role.INSURER ? TestKeys.key2048b() : TestKeys.key2048a());
  }

  static byte[] seed() {
    byte[] s = new byte[32];
    RND.nextBytes(s);
    return s;
  }

  static ChannelParams params(AccountSecrets a, AccountSecrets b, long depositA, long depositB, int depth) {
    byte[] id = new byte[16];
    RND.nextBytes(id);
    byte[] saltKey = new byte[32];
    RND.nextBytes(saltKey);
    PaillierPublicKey ka = a.paillier().publicKey();
    PaillierPublicKey kb = b.paillier().publicKey();
    return new ChannelParams(new ChannelMessages.Scope("medchannel", "medledger", "pc-" + HexFormat.of().formatHex(id)),
        a.accountId(), b.accountId(), a.signingPublicKey(),
        b.signingPublicKey(), ka, kb, TestKeys.key2048c().publicKey(), depositA, depositB,
        a.paillier().encrypt(depositA, RND), b.paillier().encrypt(depositB, RND), depth, 60, saltKey);
  }
}
