/**
 * AAMVA issuer identification numbers (IIN, the 6 digits after "ANSI " in the PDF417 header) and
 * jurisdiction codes (the `DAJ` element). Data, not logic: add a row when a new issuer appears.
 * Source: AAMVA DL/ID Card Design Standard (2020), Annex D "IIN" list, and ISO 3166-2 codes.
 */
export interface Jurisdiction {
  /** Two-letter jurisdiction code as printed in `DAJ`. */
  code: string;
  name: string;
  /** ISO 3166-1 alpha-3 of the issuing country. */
  country: 'USA' | 'CAN' | 'MEX';
}

const J = (code: string, name: string, country: Jurisdiction['country'] = 'USA'): Jurisdiction => ({ code, name, country });

export const AAMVA_IIN: Readonly<Record<string, Jurisdiction>> = {
  '636000': J('VA', 'Virginia'),
  '636001': J('NY', 'New York'),
  '636002': J('MA', 'Massachusetts'),
  '636003': J('MD', 'Maryland'),
  '636004': J('NC', 'North Carolina'),
  '636005': J('SC', 'South Carolina'),
  '636006': J('CT', 'Connecticut'),
  '636007': J('LA', 'Louisiana'),
  '636008': J('MT', 'Montana'),
  '636009': J('NM', 'New Mexico'),
  '636010': J('FL', 'Florida'),
  '636011': J('DE', 'Delaware'),
  '636012': J('ON', 'Ontario', 'CAN'),
  '636013': J('NS', 'Nova Scotia', 'CAN'),
  '636014': J('CA', 'California'),
  '636015': J('TX', 'Texas'),
  '636016': J('NL', 'Newfoundland and Labrador', 'CAN'),
  '636017': J('NB', 'New Brunswick', 'CAN'),
  '636018': J('IA', 'Iowa'),
  '636019': J('GU', 'Guam'),
  '636020': J('CO', 'Colorado'),
  '636021': J('AR', 'Arkansas'),
  '636022': J('KS', 'Kansas'),
  '636023': J('OH', 'Ohio'),
  '636024': J('VT', 'Vermont'),
  '636025': J('PA', 'Pennsylvania'),
  '636026': J('AZ', 'Arizona'),
  '636028': J('BC', 'British Columbia', 'CAN'),
  '636029': J('OR', 'Oregon'),
  '636030': J('MO', 'Missouri'),
  '636031': J('WI', 'Wisconsin'),
  '636032': J('MI', 'Michigan'),
  '636033': J('AL', 'Alabama'),
  '636034': J('ND', 'North Dakota'),
  '636035': J('IL', 'Illinois'),
  '636036': J('NJ', 'New Jersey'),
  '636037': J('IN', 'Indiana'),
  '636038': J('MN', 'Minnesota'),
  '636039': J('NH', 'New Hampshire'),
  '636040': J('UT', 'Utah'),
  '636041': J('ME', 'Maine'),
  '636042': J('SD', 'South Dakota'),
  '636043': J('DC', 'District of Columbia'),
  '636044': J('SK', 'Saskatchewan', 'CAN'),
  '636045': J('WA', 'Washington'),
  '636046': J('KY', 'Kentucky'),
  '636047': J('HI', 'Hawaii'),
  '636048': J('MB', 'Manitoba', 'CAN'),
  '636049': J('NV', 'Nevada'),
  '636050': J('ID', 'Idaho'),
  '636051': J('MS', 'Mississippi'),
  '636052': J('RI', 'Rhode Island'),
  '636053': J('TN', 'Tennessee'),
  '636054': J('NE', 'Nebraska'),
  '636055': J('GA', 'Georgia'),
  '636056': J('CU', 'Coahuila', 'MEX'),
  '636058': J('OK', 'Oklahoma'),
  '636059': J('AK', 'Alaska'),
  '636060': J('WY', 'Wyoming'),
  '636061': J('WV', 'West Virginia'),
  '636062': J('VI', 'US Virgin Islands'),
  '604426': J('PE', 'Prince Edward Island', 'CAN'),
  '604427': J('AS', 'American Samoa'),
  '604428': J('QC', 'Quebec', 'CAN'),
  '604429': J('YT', 'Yukon', 'CAN'),
  '604430': J('MP', 'Northern Marianas'),
  '604431': J('PR', 'Puerto Rico'),
  '604432': J('AB', 'Alberta', 'CAN'),
  '604433': J('NU', 'Nunavut', 'CAN'),
  '604434': J('NT', 'Northwest Territories', 'CAN'),
};

/** Canadian province/territory codes as printed in `DAJ` (everything else North American is USA). */
export const CANADIAN_JURISDICTIONS: ReadonlySet<string> = new Set([
  'AB', 'BC', 'MB', 'NB', 'NL', 'NS', 'NT', 'NU', 'ON', 'PE', 'QC', 'SK', 'YT',
]);
