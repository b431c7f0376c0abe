/** Fictional Table 1 medical records from a seeded generator, for tests, the demo and benchmarks. */
package org.medledger.sdk.synthetic;
