/**
 * {@code medledger demo} (docs/cli.md §5): the whole MedLedger story on one ledger, told by real
 * client-sdk clients. {@link org.medledger.cli.demo.Demo} is the story, step by step; {@code Cast}
 * makes the parties and sets the channel up; {@code Steps} records the money moved; {@code
 * RecordsStep}, {@code Visibility} (the who-can-see-what matrix) and {@code Audit} are the story's
 * parts; {@link org.medledger.cli.demo.Facts} checks what the story must have shown.
 */
package org.medledger.cli.demo;
