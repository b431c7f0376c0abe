/**
 * {@code medledger demo} (docs/cli.md §5): the whole MedLedger story on one ledger, told by real
 * client-sdk clients, with the regulator as a 3-of-5 committee. {@link org.medledger.cli.demo.Demo}
 * is the story, one timed phase per part; {@code Cast} makes the parties, deals the committee key
 * and sets the channel up; {@code Committee} holds the members' key shares and plays the issue act;
 * {@code Steps} records the money moved; {@code RecordsStep}, {@code Visibility} (the
 * who-can-see-what matrix), {@code Audit} (the disclosure request) and {@code Reshare} (a member
 * leaves) and {@code StatsStep} (visits over two months, the committee opening last month's
 * statistics buckets) are the story's parts; {@link org.medledger.cli.demo.DemoClock} is the
 * embedded ledger's clock, which the story moves on so that months pass;
 * {@link org.medledger.cli.demo.Facts} checks what the story must have shown.
 */
package org.medledger.cli.demo;
