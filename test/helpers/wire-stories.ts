/**
 * Stories written for the near-duplicate and version tests: a wire story of
 * twelve paragraphs, the paper's rewrite of it (a headline and first paragraph
 * of its own, the other eleven paragraphs the wire's), and a different story on
 * the same subject (the same names and places, other sentences).
 */

const WIRE_PARAGRAPHS = [
  'Heavy rain swelled the Sava river on Tuesday and flooded low streets in the town of Brcko, forcing about two thousand residents from their homes, the regional civil protection office said.',
  'Water rose above the embankment near the old grain silos before dawn and reached the ground floors of houses along the river road within three hours, officials told reporters at the town hall.',
  'Rescue crews in rubber boats carried elderly people and children to a sports hall on higher ground, where the Red Cross handed out blankets, bottled water and dry clothes through the morning.',
  'The civil protection chief, Marko Jelic, said the level had reached five metres and sixty centimetres at the Brcko gauge, the highest reading since the great flood of the spring of 2014.',
  'Forecasters expect another forty millimetres of rain over the catchment by Thursday, and engineers fear that a second crest coming down from the upper valley could overtop the repaired dykes.',
  'Farmers on the plain south of the town moved cattle and machinery to the motorway embankment, the only dry land for several kilometres, and some spent the night beside their animals.',
  'The regional government declared a state of emergency for three municipalities and asked the army for trucks, sandbags and pumps, a spokeswoman said in a written statement on Tuesday.',
  'Schools in the flooded districts will stay closed until Monday, and the water company warned residents to boil tap water because two wells near the river were under the flood.',
  'Power was cut to eleven villages as a precaution after water entered a transformer station, the electricity distributor said, adding that crews would restore supply once the station dried.',
  'Neighbouring towns upstream reported landslides on two mountain roads, and a bridge on the road to Tuzla was closed after the river washed away part of one of its pillars.',
  'Environmental groups said years of gravel dredging and the draining of wetlands along the Sava had left the valley less able to absorb heavy rain, a charge the water agency denied.',
  'Residents who returned briefly to their houses in the afternoon found mud up to their knees, ruined furniture and drowned gardens, and many said they did not know when they could go home.',
];

/** The wire's story (in the corpus as NDJSON, say). */
export const WIRE_STORY = {
  id: 'wire/sava-flood',
  title: 'Sava floods Brcko streets, thousands leave homes',
  date: '2026-05-12',
  source: 'Wire',
  body: WIRE_PARAGRAPHS.join('\n\n'),
};

/** The paper's rewrite, published the next day: new headline, new first paragraph, the other eleven paragraphs the wire's. */
export const REWRITE = {
  title: 'Town under water: a night of rescues along the Sava',
  date: '2026-05-13',
  source: 'Daily Courier',
  body: [
    'Two thousand people spent the night in a sports hall in Brcko after the Sava broke over its banks, in the worst flooding the town has seen in twelve years.',
    ...WIRE_PARAGRAPHS.slice(1),
  ].join('\n\n'),
};

/** A different story on the same subject: the same river, town and officials, other text. */
export const OTHER_STORY = {
  title: 'Brcko counts the cost of the Sava flood',
  date: '2026-05-20',
  source: 'Daily Courier',
  body: [
    'A week after the Sava flood, insurers in Brcko have received more than four hundred claims, most of them for houses on the river road and for farm machinery lost on the southern plain.',
    'Marko Jelic, who led the civil protection effort, told the town council that the embankment would be raised by a metre before the autumn rains, at a cost the council has yet to agree.',
    'Shopkeepers on the main square reopened on Monday, scrubbing mud from their floors, while volunteers from the Red Cross went door to door with cleaning kits and forms for state aid.',
    'The water company said tap water was safe to drink again after tests on the two wells that the flood had covered, and the schools reopened with the sports hall back in use.',
  ].join('\n\n'),
};
