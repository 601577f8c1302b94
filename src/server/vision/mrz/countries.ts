/**
 * Codes that may stand for a state or organisation in an MRZ (ICAO Doc 9303 part 3, section 5):
 * ISO 3166-1 alpha-3 plus ICAO's own codes. Three characters, '<'-padded for the one-letter
 * German code (`D<<`).
 */
const ISO_3166_ALPHA3 =
  'ABW AFG AGO AIA ALA ALB AND ARE ARG ARM ASM ATA ATF ATG AUS AUT AZE BDI BEL BEN BES BFA BGD BGR BHR ' +
  'BHS BIH BLM BLR BLZ BMU BOL BRA BRB BRN BTN BVT BWA CAF CAN CCK CHE CHL CHN CIV CMR COD COG COK COL ' +
  'COM CPV CRI CUB CUW CXR CYM CYP CZE DEU DJI DMA DNK DOM DZA ECU EGY ERI ESH ESP EST ETH FIN FJI FLK ' +
  'FRA FRO FSM GAB GBR GEO GGY GHA GIB GIN GLP GMB GNB GNQ GRC GRD GRL GTM GUF GUM GUY HKG HMD HND HRV ' +
  'HTI HUN IDN IMN IND IOT IRL IRN IRQ ISL ISR ITA JAM JEY JOR JPN KAZ KEN KGZ KHM KIR KNA KOR KWT LAO ' +
  'LBN LBR LBY LCA LIE LKA LSO LTU LUX LVA MAC MAF MAR MCO MDA MDG MDV MEX MHL MKD MLI MLT MMR MNE MNG ' +
  'MNP MOZ MRT MSR MTQ MUS MWI MYS MYT NAM NCL NER NFK NGA NIC NIU NLD NOR NPL NRU NZL OMN PAK PAN PCN ' +
  'PER PHL PLW PNG POL PRI PRK PRT PRY PSE PYF QAT REU ROU RUS RWA SAU SDN SEN SGP SGS SHN SJM SLB SLE ' +
  'SLV SMR SOM SPM SRB SSD STP SUR SVK SVN SWE SWZ SXM SYC SYR TCA TCD TGO THA TJK TKL TKM TLS TON TTO ' +
  'TUN TUR TUV TWN TZA UGA UKR UMI URY USA UZB VAT VCT VEN VGB VIR VNM VUT WLF WSM YEM ZAF ZMB ZWE';

/** ICAO additions: Germany, British nationality classes, Kosovo, UN and EU bodies, stateless and
 * refugee codes, the fictional Utopia of the Doc 9303 specimens, and a few historical codes still
 * found on valid documents (ANT, NTZ). */
const ICAO_CODES =
  'D<< GBD GBN GBO GBP GBS RKS EUE UNO UNA UNK XOM XPO XCC XCE XEC XES XMP XBA XIM XDC XCO XAF XXA XXB XXC ' +
  'XXX UTO ANT NTZ';

/**
 * Codes of states that changed or ceased, still printed on documents in circulation or presented
 * as older identity evidence (ISO 3166-3 withdrawn codes), and the current ISO code the API
 * reports for them (null: no single successor; reported as printed). `SI<`: Slovenian passports
 * issued before 2004 print the ISO alpha-2 code padded with a filler.
 */
export const HISTORICAL_STATE_CODES: Readonly<Record<string, string | null>> = {
  ROM: 'ROU', // Romania until 2002
  'SI<': 'SVN',
  TMP: 'TLS', // East Timor
  ZAR: 'COD', // Zaire
  BUR: 'MMR', // Burma
  YUG: null, // Yugoslavia
  SCG: null, // Serbia and Montenegro (2003–2006)
  CSK: null, // Czechoslovakia
  SUN: null, // USSR
  DDR: null, // German Democratic Republic
};

export const MRZ_STATE_CODES: ReadonlySet<string> = new Set([...`${ISO_3166_ALPHA3} ${ICAO_CODES}`.split(/\s+/), ...Object.keys(HISTORICAL_STATE_CODES)]);

/** True when a 3-character MRZ field names a known state or organisation. */
export function isKnownStateCode(code: string): boolean {
  return MRZ_STATE_CODES.has(code);
}
