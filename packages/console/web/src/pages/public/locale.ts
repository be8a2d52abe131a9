/** Strings of the public pages (namespace `public`), French first. */
export const publicNs = {
  fr: {
    home: {
      title: 'Des données de santé au service de tous, sous le contrôle de tous',
      lead: 'Hygie réunit les données de santé nationales — remboursements, séjours hospitaliers, causes de décès, exports hospitaliers — dans un entrepôt commun, hébergé et chiffré par l’opérateur. Chaque accès est vérifié contre une autorisation et inscrit dans un journal public vérifiable.',
      promises: 'Nos engagements',
      promiseKeys: 'L’opérateur détient les clés : les données sont pseudonymisées à l’entrée.',
      promisePermit:
        'Aucun accès sans autorisation examinée par un comité, vérifiée par la machine.',
      promiseLog: 'Chaque accès est inscrit dans un journal signé que chacun peut vérifier.',
      promiseOptOut: 'Chacun peut s’opposer à l’usage de ses données pour la recherche.',
      promiseAggregates: 'Seuls des agrégats soumis au secret statistique sortent.',
      forYou: 'Selon votre rôle',
      citizenCard: 'Citoyen·ne : voir qui a utilisé mes données, m’opposer',
      directoryCard: 'Consulter les projets de recherche autorisés',
      transparencyCard: 'Vérifier le journal de transparence',
      researcherCard: 'Chercheur·se : catalogue, demandes d’accès, requêtes',
      analystCard: 'Santé publique : carte des indicateurs et alertes',
    },
  },
  en: {
    home: {
      title: 'Health data serving everyone, under everyone’s control',
      lead: 'Hygie brings the nation’s health data — claims, hospital stays, causes of death, hospital exports — into one warehouse, hosted and encrypted by the operator. Every access is checked against a permit and recorded in a public, verifiable log.',
      promises: 'Our commitments',
      promiseKeys: 'The operator holds the keys: data is pseudonymised at the border.',
      promisePermit:
        'No access without a permit reviewed by a committee and checked by the machine.',
      promiseLog: 'Every access is recorded in a signed log that anyone can verify.',
      promiseOptOut: 'Anyone can object to the use of their data for research.',
      promiseAggregates: 'Only aggregates under statistical disclosure control leave.',
      forYou: 'For your role',
      citizenCard: 'Citizen: see who used my data, opt out',
      directoryCard: 'Browse the authorised research projects',
      transparencyCard: 'Verify the transparency log',
      researcherCard: 'Researcher: catalogue, access applications, queries',
      analystCard: 'Public health: indicator map and alerts',
    },
  },
} as const;
