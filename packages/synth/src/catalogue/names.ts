/**
 * Common French surnames, given names and street names, for the identifiers the synthetic
 * population carries (so that pseudonymisation at ingestion has real names to remove). Frequent
 * names are listed first; the generator draws with a Zipf-like weight so the head is common.
 */

/** Frequent French surnames. */
// prettier-ignore
export const SURNAMES: readonly string[] = [
  'MARTIN', 'BERNARD', 'THOMAS', 'PETIT', 'ROBERT', 'RICHARD', 'DURAND', 'DUBOIS', 'MOREAU', 'LAURENT',
  'SIMON', 'MICHEL', 'LEFEBVRE', 'LEROY', 'ROUX', 'DAVID', 'BERTRAND', 'MOREL', 'FOURNIER', 'GIRARD',
  'BONNET', 'DUPONT', 'LAMBERT', 'FONTAINE', 'ROUSSEAU', 'VINCENT', 'MULLER', 'LEFEVRE', 'FAURE', 'ANDRE',
  'MERCIER', 'BLANC', 'GUERIN', 'BOYER', 'GARNIER', 'CHEVALIER', 'FRANCOIS', 'LEGRAND', 'GAUTHIER', 'GARCIA',
  'PERRIN', 'ROBIN', 'CLEMENT', 'MORIN', 'NICOLAS', 'HENRY', 'ROUSSEL', 'MATHIEU', 'GAUTIER', 'MASSON',
  'MARCHAND', 'DUVAL', 'DENIS', 'DUMONT', 'MARIE', 'LEMAIRE', 'NOEL', 'MEYER', 'DUFOUR', 'MEUNIER',
  'BRUN', 'BLANCHARD', 'GIRAUD', 'JOLY', 'RIVIERE', 'LUCAS', 'BRUNET', 'GAILLARD', 'BARBIER', 'ARNAUD',
  'MARTINEZ', 'GERARD', 'ROCHE', 'RENARD', 'SCHMITT', 'ROY', 'LEROUX', 'COLIN', 'VIDAL', 'CARON',
  'PICARD', 'ROGER', 'FABRE', 'AUBERT', 'LEMOINE', 'RENAUD', 'DUMAS', 'LACROIX', 'OLIVIER', 'PHILIPPE',
  'BOURGEOIS', 'PIERRE', 'BENOIT', 'REY', 'LECLERC', 'PAYET', 'ROLLAND', 'LECLERCQ', 'GUILLAUME', 'LECOMTE',
  'LOPEZ', 'JEAN', 'DUPUY', 'GUILLOT', 'HUBERT', 'BERGER', 'CARPENTIER', 'SANCHEZ', 'DUPUIS', 'MOULIN',
  'LOUIS', 'DESCHAMPS', 'HUET', 'VASSEUR', 'PEREZ', 'BOUCHER', 'FLEURY', 'ROYER', 'KLEIN', 'JACQUET',
  'ADAM', 'PARIS', 'POIRIER', 'MARTY', 'AUBRY', 'GUYOT', 'CARRE', 'CHARLES', 'RENAULT', 'CHARPENTIER',
  'MENARD', 'MAILLARD', 'BARON', 'BERTIN', 'BAILLY', 'HERVE', 'SCHNEIDER', 'FERNANDEZ', 'LE GALL', 'COLLET',
  'LEGER', 'BOUVIER', 'JULIEN', 'PREVOST', 'MILLET', 'PERROT', 'DANIEL', 'LE ROUX', 'COUSIN', 'GERMAIN',
  'BRETON', 'BESSON', 'LANGLOIS', 'REMY', 'LE GOFF', 'PELLETIER', 'LEVEQUE', 'PERRIER', 'LEBLANC', 'BARRE',
  'LEBRUN', 'MARCHAL', 'WEBER', 'MALLET', 'HAMON', 'BOULANGER', 'JACOB', 'MONNIER', 'MICHAUD', 'RODRIGUEZ',
  'GUICHARD', 'GILLET', 'ETIENNE', 'GRONDIN', 'POULAIN', 'TESSIER', 'CHEVALLIER', 'COLLIN', 'CHAUVIN', 'DA SILVA',
  'BOUCHET', 'GAY', 'LEMAITRE', 'BENARD', 'MARECHAL', 'HUMBERT', 'REYNAUD', 'ANTOINE', 'HOARAU', 'PERRET',
  'BARTHELEMY', 'CORDIER', 'PICHON', 'LEJEUNE', 'GILBERT', 'LAMY', 'DELAUNAY', 'PASQUIER', 'CARLIER', 'LAPORTE',
];

/** Frequent French given names for men. */
// prettier-ignore
export const MALE_GIVEN_NAMES: readonly string[] = [
  'JEAN', 'PHILIPPE', 'MICHEL', 'ALAIN', 'PATRICK', 'NICOLAS', 'CHRISTOPHE', 'PIERRE', 'CHRISTIAN', 'ERIC',
  'FREDERIC', 'LAURENT', 'STEPHANE', 'DAVID', 'PASCAL', 'DANIEL', 'SEBASTIEN', 'JULIEN', 'THIERRY', 'OLIVIER',
  'BERNARD', 'THOMAS', 'ALEXANDRE', 'GERARD', 'DIDIER', 'DOMINIQUE', 'VINCENT', 'FRANCOIS', 'BRUNO', 'GUILLAUME',
  'JACQUES', 'MARC', 'LUCAS', 'ROMAIN', 'ANTOINE', 'MAXIME', 'NATHAN', 'HUGO', 'LOUIS', 'GABRIEL',
  'LEO', 'RAPHAEL', 'ARTHUR', 'JULES', 'ADAM', 'MAEL', 'ENZO', 'PAUL', 'MATHIS', 'THEO',
  'ANDRE', 'RENE', 'ROGER', 'MARCEL', 'ROBERT', 'GEORGES', 'HENRI', 'CLAUDE', 'YVES', 'SERGE',
  'ANTHONY', 'KEVIN', 'QUENTIN', 'CLEMENT', 'BENJAMIN', 'MATHIEU', 'JEROME', 'CEDRIC', 'ARNAUD', 'FABRICE',
  'MOHAMED', 'KARIM', 'YANNICK', 'LOIC', 'GAEL', 'NOAH', 'ETHAN', 'SACHA', 'TIMEO', 'AYMERIC',
];

/** Frequent French given names for women. */
// prettier-ignore
export const FEMALE_GIVEN_NAMES: readonly string[] = [
  'MARIE', 'NATHALIE', 'ISABELLE', 'SYLVIE', 'CATHERINE', 'FRANCOISE', 'MARTINE', 'CHRISTINE', 'MONIQUE', 'VALERIE',
  'SANDRINE', 'STEPHANIE', 'NICOLE', 'SOPHIE', 'CELINE', 'CHANTAL', 'PATRICIA', 'VERONIQUE', 'AURELIE', 'JULIE',
  'CAROLINE', 'ANNE', 'JACQUELINE', 'CAMILLE', 'LAURA', 'EMILIE', 'ELODIE', 'LAETITIA', 'SARAH', 'PAULINE',
  'EMMA', 'JADE', 'LOUISE', 'ALICE', 'CHLOE', 'LINA', 'LEA', 'ROSE', 'ANNA', 'MILA',
  'AMBRE', 'JULIA', 'MIA', 'INES', 'MANON', 'LOLA', 'ZOE', 'CLARA', 'LENA', 'AGATHE',
  'JEANNE', 'SUZANNE', 'SIMONE', 'DENISE', 'YVETTE', 'GISELE', 'COLETTE', 'PAULETTE', 'MADELEINE', 'GENEVIEVE',
  'AGNES', 'BRIGITTE', 'CORINNE', 'DELPHINE', 'HELENE', 'MARINE', 'MATHILDE', 'MELANIE', 'AUDREY', 'VIRGINIE',
  'FATIMA', 'NADIA', 'SAMIRA', 'MARGAUX', 'OCEANE', 'ANAIS', 'CHARLOTTE', 'ELISE', 'CLEMENCE', 'ROMANE',
];

/** Street names for address lines. */
// prettier-ignore
export const STREET_NAMES: readonly string[] = [
  'rue de la République', 'rue Victor Hugo', 'rue Pasteur', 'rue Jean Jaurès', 'avenue de la Gare', 'rue de l\'Église',
  'place de la Mairie', 'rue du Moulin', 'rue des Écoles', 'chemin des Vignes', 'rue de la Paix', 'boulevard Gambetta',
  'rue Nationale', 'rue du Stade', 'rue des Lilas', 'allée des Tilleuls', 'rue du Général de Gaulle', 'avenue Foch',
  'rue Émile Zola', 'impasse des Roses', 'rue de la Fontaine', 'route de Paris', 'rue du Château', 'rue des Jardins',
  'rue Saint-Martin', 'rue Voltaire', 'rue de Verdun', 'avenue Jean Moulin', 'rue du Commerce', 'rue des Prés',
  'rue Louis Pasteur', 'rue Carnot', 'rue de la Liberté', 'rue du Four', 'chemin du Bois', 'rue des Acacias',
];
