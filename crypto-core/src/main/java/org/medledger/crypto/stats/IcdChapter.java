package org.medledger.crypto.stats;

import java.util.List;

/**
 * The fixed category list of a statistical contribution (docs/protocol.md §11.1): the 22 chapters of
 * ICD-10 (WHO, 2019 edition), in chapter order. The position of a chapter in this list is its
 * one-hot index and its slot in the packed plaintext, so the order is part of the wire format
 * ({@link #LIST_ID} names it in every transcript) and must never change; a new list is a new id.
 * MedLedger uses it with synthetic data only.
 */
public enum IcdChapter {
  I("A00–B99", "Certain infectious and parasitic diseases"),
  II("C00–D48", "Neoplasms"),
  III("D50–D89", "Diseases of the blood and blood-forming organs and certain disorders involving the immune mechanism"),
  IV("E00–E90", "Endocrine, nutritional and metabolic diseases"),
  V("F00–F99", "Mental and behavioural disorders"),
  VI("G00–G99", "Diseases of the nervous system"),
  VII("H00–H59", "Diseases of the eye and adnexa"),
  VIII("H60–H95", "Diseases of the ear and mastoid process"),
  IX("I00–I99", "Diseases of the circulatory system"),
  X("J00–J99", "Diseases of the respiratory system"),
  XI("K00–K93", "Diseases of the digestive system"),
  XII("L00–L99", "Diseases of the skin and subcutaneous tissue"),
  XIII("M00–M99", "Diseases of the musculoskeletal system and connective tissue"),
  XIV("N00–N99", "Diseases of the genitourinary system"),
  XV("O00–O99", "Pregnancy, childbirth and the puerperium"),
  XVI("P00–P96", "Certain conditions originating in the perinatal period"),
  XVII("Q00–Q99", "Congenital malformations, deformations and chromosomal abnormalities"),
  XVIII("R00–R99", "Symptoms, signs and abnormal clinical and laboratory findings, not elsewhere classified"),
  XIX("S00–T98", "Injury, poisoning and certain other consequences of external causes"),
  XX("V01–Y98", "External causes of morbidity and mortality"),
  XXI("Z00–Z99", "Factors influencing health status and contact with health services"),
  XXII("U00–U99", "Codes for special purposes");

  /** Names this list and its order in every transcript and encoding that uses it. */
  public static final String LIST_ID = "icd10-who-2019/chapters/22";
  /** Number of categories: the length of the category one-hot vector. */
  public static final int COUNT = 22;

  private static final List<IcdChapter> ALL = List.of(values());

  private final String codes;
  private final String title;

  IcdChapter(String codes, String title) {
    this.codes = codes;
    this.title = title;
  }

  /** The chapter number as a Roman numeral, e.g. "IX". */
  public String numeral() {
    return name();
  }

  /** The block of three-character codes the chapter covers, e.g. "I00–I99". */
  public String codes() {
    return codes;
  }

  public String title() {
    return title;
  }

  /** The one-hot index, 0 for chapter I. */
  public int index() {
    return ordinal();
  }

  /** The chapter with the given one-hot index. */
  public static IcdChapter ofIndex(int index) {
    if (index < 0 || index >= COUNT) {
      throw new IllegalArgumentException("no ICD-10 chapter with index " + index);
    }
    return ALL.get(index);
  }
}
