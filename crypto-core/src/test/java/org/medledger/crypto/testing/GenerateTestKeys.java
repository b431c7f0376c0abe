package org.medledger.crypto.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.medledger.crypto.SecretAccess;
import org.medledger.crypto.paillier.KeySize;
import org.medledger.crypto.paillier.PaillierKeyGenerator;

/** Regenerates the test keys: {@code GenerateTestKeys <resources/keys dir>}. Not run by tests. */
public final class GenerateTestKeys {
  private GenerateTestKeys() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Files.createDirectories(dir);
    PaillierKeyGenerator gen = new PaillierKeyGenerator(new SecureRandom());
    Files.write(dir.resolve("paillier-1024-a.bin"), gen.generate(KeySize.INSECURE_1024).toBytes(SecretAccess.explicit()));
    for (String s : new String[] {"a", "b", "c"}) {
      Files.write(dir.resolve("paillier-2048-" + s + ".bin"), gen.generate(KeySize.BITS_2048).toBytes(SecretAccess.explicit()));
    }
    Files.write(dir.resolve("paillier-3072-a.bin"), gen.generate(KeySize.BITS_3072).toBytes(SecretAccess.explicit()));
  }
}
