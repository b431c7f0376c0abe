package org.medledger.embedded;

import com.google.protobuf.ByteString;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;

/**
 * A client of the embedded ledger: an X.509 certificate issued by its organisation's simulated CA.
 * {@link #creator()} is what a Fabric peer hands the chaincode as the transaction's creator, so
 * {@code ctx.getClientIdentity()} sees this MSP ID and certificate. Obtain one from {@link
 * EmbeddedLedger#identity}.
 */
public final class Identity {
  private final String mspId;
  private final String commonName;
  private final X509Certificate certificate;
  private final String certificatePem;
  private final byte[] creator;

  Identity(String mspId, String commonName, X509Certificate certificate, String certificatePem) {
    this.mspId = mspId;
    this.commonName = commonName;
    this.certificate = certificate;
    this.certificatePem = certificatePem;
    this.creator = SerializedIdentity.newBuilder()
        .setMspid(mspId)
        .setIdBytes(ByteString.copyFromUtf8(certificatePem))
        .build()
        .toByteArray();
  }

  public String mspId() {
    return mspId;
  }

  public String commonName() {
    return commonName;
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** The certificate in PEM, as Fabric puts it in a serialized identity. */
  public String certificatePem() {
    return certificatePem;
  }

  /** The bytes of the {@code msp.SerializedIdentity} protobuf: MSP ID and PEM certificate. */
  public byte[] creator() {
    return creator.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Identity i && Arrays.equals(creator, i.creator);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(creator);
  }

  @Override
  public String toString() {
    return "Identity[" + mspId + "/" + commonName + "]";
  }
}
