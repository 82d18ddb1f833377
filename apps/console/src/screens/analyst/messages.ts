/** The analyst screen's words (en, fr). */
import type { Language, Messages } from '../../i18n.js';

const words: Record<string, [string, string]> = {
  'report.referrals': ['Referrals', 'Orientations'],
  'report.consents': ['Consents', 'Consentements'],
  'report.needs': ['Needs', 'Besoins'],
  'report.notices': ['Referral notices', 'Avis d’orientation'],
  'report.offers': ['In-kind offers', 'Offres en nature'],
  'report.offer-requests': ['Requests from offers', 'Demandes sur les offres'],
  'report.goals': ['Goals', 'Objectifs'],
  'report.check-ins': ['Check-ins', 'Suivis'],
  'report.needs-resolved': ['Needs resolved', 'Besoins résolus'],
  'dim.none': ['Whole period', 'Toute la période'],
  'dim.region': ['Region', 'Région'],
  'dim.need': ['Need', 'Besoin'],
  'dim.sector': ['Sector', 'Secteur'],
  'dim.urgency': ['Urgency', 'Urgence'],
  'dim.language': ['Language', 'Langue'],
  'dim.reason': ['Decline reason', 'Motif de refus'],
  'dim.purpose': ['Purpose', 'Finalité'],
  'dim.kind': ['Kind of offer', 'Type d’offre'],
  'dim.goal': ['Goal', 'Objectif'],

  'analyst.title': ['Reports', 'Rapports'],
  'analyst.intro': [
    'Counts from de-identified facts, never a person. Any count below {k} is withheld, and so is any figure from which one could be worked out.',
    'Des dénombrements tirés de faits dépersonnalisés, jamais une personne. Tout nombre inférieur à {k} est retenu, ainsi que tout chiffre qui permettrait de le retrouver.',
  ],
  'analyst.choose': ['Choose a report', 'Choisir un rapport'],
  'analyst.report': ['Report', 'Rapport'],
  'analyst.measure': ['Measure', 'Mesure'],
  'analyst.rows': ['Rows by', 'Lignes par'],
  'analyst.columns': ['Columns by', 'Colonnes par'],
  'analyst.hint.rows': ['“Any” gives one total per period.', '« Tous » donne un total par période.'],
  'analyst.filter': ['Only one value of a dimension (optional)', 'Une seule valeur d’une dimension (facultatif)'],
  'analyst.filter-dimension': ['Dimension', 'Dimension'],
  'analyst.filter-value': ['Value', 'Valeur'],
  'analyst.from': ['From (month)', 'Du (mois)'],
  'analyst.to': ['To (month)', 'Au (mois)'],
  'analyst.hint.month': ['A whole month, YYYY-MM.', 'Un mois entier, AAAA-MM.'],
  'analyst.show': ['Show the report', 'Afficher le rapport'],
  'analyst.pick': [
    'Choose a report, its dimensions and a period, then show it: the table, the chart and a CSV download appear here.',
    'Choisissez un rapport, ses dimensions et une période, puis affichez-le : le tableau, le graphique et un téléchargement CSV apparaissent ici.',
  ],
  'analyst.result': ['{report}: {measure}', '{report} : {measure}'],
  'analyst.caption': ['{measure}, {period}', '{measure}, {period}'],
  'analyst.caption2': ['{measure}, {period}: {rows} by {columns}', '{measure}, {period} : {rows} par {columns}'],
  'analyst.figure': ['Count', 'Nombre'],
  'analyst.total': ['Total', 'Total'],
  'analyst.timing': [
    '{count} (median {median} days, 90th percentile {p90} days)',
    '{count} (médiane {median} jours, 90e centile {p90} jours)',
  ],
  'analyst.withheld': ['withheld', 'retenu'],
  'analyst.withheld-title': [
    'Withheld to protect privacy: the count is small, or could be worked out from the others.',
    'Retenu pour protéger la vie privée : le nombre est petit, ou pourrait être déduit des autres.',
  ],
  'analyst.withheld-present': ['✱ withheld cells:', '✱ cellules retenues :'],
  'analyst.suppression-explain': [
    'A cell marked “withheld” hides a count below {k}, or a count that would reveal one from the totals. It is not zero, and it is not missing data.',
    'Une cellule marquée « retenu » cache un nombre inférieur à {k}, ou un nombre qui en révélerait un à partir des totaux. Ce n’est pas zéro, ni une donnée manquante.',
  ],
  'analyst.dp-explain': [
    'These figures carry random noise (differential privacy, ε = {epsilon}): each is close to the true count but never exact.',
    'Ces chiffres comportent un bruit aléatoire (confidentialité différentielle, ε = {epsilon}) : chacun est proche du vrai nombre sans jamais être exact.',
  ],
  'analyst.rounding': ['Published counts are rounded.', 'Les nombres publiés sont arrondis.'],
  'analyst.no-periods': ['No period in this range.', 'Aucune période dans cet intervalle.'],
  'analyst.protection': ['How withheld figures are protected:', 'Comment les chiffres retenus sont protégés :'],
  'analyst.chart': ['Chart', 'Graphique'],
  'analyst.chart-alt': [
    'Chart of {measure} by {rows}, {from} to {to}; the table above has the same figures, withheld ones marked.',
    'Graphique de {measure} par {rows}, de {from} à {to} ; le tableau ci-dessus donne les mêmes chiffres, les retenus étant marqués.',
  ],
  'analyst.csv': ['Download the table (CSV)', 'Télécharger le tableau (CSV)'],
  'analyst.budget': [
    'Privacy budget: {remaining} of {budget} remaining ({spent} spent).',
    'Budget de confidentialité : {remaining} sur {budget} restant ({spent} dépensé).',
  ],
  'analyst.dp.heading': ['With differential privacy', 'Avec confidentialité différentielle'],
  'analyst.dp.intro': [
    'The same report with noise instead of withheld cells. Each run spends ε from your lifetime budget; when it is spent, runs are refused.',
    'Le même rapport avec du bruit au lieu de cellules retenues. Chaque exécution dépense ε de votre budget à vie ; une fois épuisé, les exécutions sont refusées.',
  ],
  'analyst.dp.epsilon': ['Epsilon to spend (ε)', 'Epsilon à dépenser (ε)'],
  'analyst.hint.epsilon': [
    'Greater than 0; smaller means more noise and less budget spent.',
    'Supérieur à 0 ; plus petit veut dire plus de bruit et moins de budget dépensé.',
  ],
  'analyst.dp.run': [
    'Run with differential privacy (spends ε)',
    'Exécuter avec confidentialité différentielle (dépense ε)',
  ],
  'analyst.dp.busy': ['Running the noisy report…', 'Exécution du rapport bruité…'],
};

export const messages: Record<Language, Messages> = {
  en: Object.fromEntries(Object.entries(words).map(([k, [en]]) => [k, en])),
  fr: Object.fromEntries(Object.entries(words).map(([k, [, fr]]) => [k, fr])),
};
