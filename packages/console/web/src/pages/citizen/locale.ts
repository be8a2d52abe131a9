/** Strings of the citizen pages (namespace `citizen`), French first. */
export const citizen = {
  fr: {
    title: 'Mes données',
    lead: 'Voyez quels projets de recherche ont été autorisés à utiliser des données qui vous concernent, vérifiez-le dans le journal public, et opposez-vous si vous le souhaitez.',
    identify: {
      title: 'M’identifier',
      demoNotice: 'Identification de démonstration',
      demoNoticeBody:
        'Sur cette plateforme de démonstration, vous vous identifiez avec un numéro de sécurité sociale et une date de naissance. En production, cette étape passe par FranceConnect : la plateforme ne vous demande jamais votre numéro.',
      nir: 'Numéro de sécurité sociale (NIR)',
      nirHint: '13 chiffres, ou 15 avec la clé ; les espaces sont acceptés',
      birthDate: 'Date de naissance',
      birthDateHint: 'Au format jj/mm/aaaa',
      submit: 'M’identifier',
      privacy:
        'Votre numéro sert seulement, en mémoire, à retrouver votre pseudonyme dans l’entrepôt : il n’est ni conservé, ni journalisé.',
      failed:
        'Nous n’avons pas pu vous identifier : vérifiez le numéro de sécurité sociale et la date de naissance. Par prudence, la plateforme ne dit pas lequel des deux ne correspond pas.',
      tooMany:
        'Trop de tentatives d’identification : pour votre protection, réessayez dans un quart d’heure.',
      disabled:
        'L’identification par numéro de sécurité sociale est désactivée sur cette plateforme : utilisez FranceConnect.',
      expired: 'Votre session a expiré : identifiez-vous à nouveau.',
    },
    session: {
      identified: 'Vous êtes identifié·e jusqu’à {{time}}.',
      forget: 'Me déconnecter',
      forgetHint:
        'Se déconnecter efface simplement la clé de session de cet onglet ; elle expire de toute façon au bout de 30 minutes.',
    },
    optOut: {
      title: 'Mon opposition',
      statusIn:
        'Vos données peuvent être utilisées pour la recherche, dans le cadre des autorisations délivrées.',
      statusOut:
        'Vous vous êtes opposé·e à l’usage de vos données pour la recherche depuis le {{date}}.',
      badgeIn: 'pas d’opposition',
      badgeOut: 'opposition enregistrée',
      research:
        'Recherche : s’opposer exclut vos données de tout résultat de recherche calculé à partir de maintenant, pour tous les projets. Les résultats déjà produits avant votre opposition ne peuvent pas être recalculés.',
      surveillanceExempt:
        'Veille sanitaire : sur cette plateforme, la surveillance de santé publique (épidémies, indicateurs par territoire) continue de vous compter même si vous vous opposez, au titre de sa mission d’intérêt public. Ses résultats ne sont que des agrégats.',
      surveillanceIncluded:
        'Veille sanitaire : sur cette plateforme, votre opposition s’applique aussi à la surveillance de santé publique : vous ne serez plus compté·e dans ses indicateurs.',
      object: 'M’opposer à l’usage de mes données',
      withdraw: 'Retirer mon opposition',
      confirmObjectTitle: 'Confirmer votre opposition ?',
      confirmObject:
        'Vos données seront exclues de tout résultat de recherche calculé à partir de maintenant. Vous pourrez retirer votre opposition à tout moment.',
      confirmWithdrawTitle: 'Retirer votre opposition ?',
      confirmWithdraw:
        'Vos données pourront à nouveau être utilisées pour la recherche, dans le cadre des autorisations délivrées. Votre opposition passée reste inscrite dans votre historique.',
      confirmObjectButton: 'Oui, je m’oppose',
      confirmWithdrawButton: 'Oui, je retire mon opposition',
      cancel: 'Annuler',
      doneObject: 'Votre opposition est enregistrée. Elle figure dans le journal de transparence.',
      doneWithdraw:
        'Votre opposition est retirée. Ce retrait figure dans le journal de transparence.',
      history: 'Historique de mes oppositions',
      historyCaption: 'Vos oppositions, de la plus ancienne à la plus récente',
      since: 'Depuis le',
      withdrawnAt: 'Retirée le',
      stillActive: 'toujours active',
      surveillance: 'Veille sanitaire',
      surveillanceExemptCell: 'continuait de vous compter',
      surveillanceIncludedCell: 'vous excluait aussi',
    },
    uses: {
      title: 'Qui a utilisé mes données ?',
      intro:
        'Voici les autorisations dont la population étudiée vous inclut, quel que soit leur statut. Les critères de population ne sont pas publiés. Pour chacune, les dernières actions inscrites au journal de transparence sont vérifiées dans votre navigateur : chaque entrée est recalculée et rattachée, par sa preuve d’inclusion, à la tête d’arbre signée ci-dessous.',
      empty:
        'Aucune autorisation ne vous concerne : aucun projet de recherche n’a été autorisé à étudier une population qui vous inclut.',
      headTitle: 'Tête d’arbre signée de référence',
      noLog:
        'Cette plateforme fonctionne sans journal de transparence : aucune preuve ne peut être affichée.',
      permit: 'Autorisation {{id}}',
      status: 'Statut : {{status}}',
      validity: 'Valable du {{from}} au {{to}}',
      period: 'Période étudiée : du {{from}} au {{to}}',
      accessMode: 'Mode d’accès : {{mode}}',
      dataList: 'Données autorisées : {{tables}}',
      excludedSince:
        'Votre opposition vous exclut des résultats de cette autorisation depuis le {{date}}.',
      entriesCaption: 'Dernières entrées du journal concernant l’autorisation {{id}}',
      noEntries: 'Aucune entrée du journal ne concerne encore cette autorisation.',
      proof: 'Preuve',
      proofVerified: 'preuve vérifiée',
      proofInvalid: 'preuve invalide',
      proofUnavailable: 'vérification impossible dans ce navigateur',
      proofChecking: 'vérification…',
      summary_zero: 'Aucune preuve à vérifier.',
      summary_one: '{{verified}} preuve vérifiée sur {{count}}.',
      summary_other: '{{verified}} preuves vérifiées sur {{count}}.',
      invalidWarning:
        'Au moins une preuve est invalide : l’entrée affichée ne correspond pas au journal signé. Signalez-le et vérifiez le journal hors ligne (page Transparence).',
      howTo: 'Vérifier vous-même, hors ligne',
    },
  },
  en: {
    title: 'My data',
    lead: 'See which research projects were allowed to use data about you, check it in the public log, and object if you wish.',
    identify: {
      title: 'Identify',
      demoNotice: 'Demonstration identification',
      demoNoticeBody:
        'On this demonstration platform you identify with a social security number and a birth date. In production this step goes through FranceConnect: the platform never asks for your number.',
      nir: 'Social security number (NIR)',
      nirHint: '13 digits, or 15 with the key; spaces are allowed',
      birthDate: 'Birth date',
      birthDateHint: 'As dd/mm/yyyy',
      submit: 'Identify',
      privacy:
        'Your number is only used, in memory, to find your pseudonym in the warehouse: it is neither stored nor logged.',
      failed:
        'We could not identify you: check the social security number and the birth date. To be safe, the platform does not say which one does not match.',
      tooMany:
        'Too many identification attempts: for your protection, try again in a quarter of an hour.',
      disabled:
        'Identification by social security number is turned off on this platform: use FranceConnect.',
      expired: 'Your session expired: identify again.',
    },
    session: {
      identified: 'You are identified until {{time}}.',
      forget: 'Log out',
      forgetHint:
        'Logging out simply forgets this tab’s session key; it expires after 30 minutes anyway.',
    },
    optOut: {
      title: 'My objection',
      statusIn: 'Your data may be used for research, under the permits issued.',
      statusOut: 'You have objected to the use of your data for research since {{date}}.',
      badgeIn: 'no objection',
      badgeOut: 'objection recorded',
      research:
        'Research: objecting excludes your data from every research result computed from now on, for every project. Results produced before your objection cannot be recomputed.',
      surveillanceExempt:
        'Public-health monitoring: on this platform, surveillance (epidemics, indicators by area) still counts you even if you object, as a public-interest task. Its results are aggregates only.',
      surveillanceIncluded:
        'Public-health monitoring: on this platform, your objection also applies to surveillance: you will no longer be counted in its indicators.',
      object: 'Object to the use of my data',
      withdraw: 'Withdraw my objection',
      confirmObjectTitle: 'Confirm your objection?',
      confirmObject:
        'Your data will be excluded from every research result computed from now on. You may withdraw your objection at any time.',
      confirmWithdrawTitle: 'Withdraw your objection?',
      confirmWithdraw:
        'Your data may again be used for research, under the permits issued. Your past objection stays in your history.',
      confirmObjectButton: 'Yes, I object',
      confirmWithdrawButton: 'Yes, withdraw my objection',
      cancel: 'Cancel',
      doneObject: 'Your objection is recorded. It appears in the transparency log.',
      doneWithdraw: 'Your objection is withdrawn. The withdrawal appears in the transparency log.',
      history: 'History of my objections',
      historyCaption: 'Your objections, oldest first',
      since: 'Since',
      withdrawnAt: 'Withdrawn on',
      stillActive: 'still active',
      surveillance: 'Public-health monitoring',
      surveillanceExemptCell: 'still counted you',
      surveillanceIncludedCell: 'excluded you too',
    },
    uses: {
      title: 'Who used my data?',
      intro:
        'These are the permits whose study population includes you, whatever their status. Population criteria are not published. For each, the latest actions recorded in the transparency log are checked in your browser: each entry is recomputed and tied, by its inclusion proof, to the signed tree head below.',
      empty:
        'No permit concerns you: no research project has been allowed to study a population that includes you.',
      headTitle: 'Signed tree head the proofs lead to',
      noLog: 'This platform runs without a transparency log: no proof can be shown.',
      permit: 'Permit {{id}}',
      status: 'Status: {{status}}',
      validity: 'Valid from {{from}} to {{to}}',
      period: 'Period studied: from {{from}} to {{to}}',
      accessMode: 'Access mode: {{mode}}',
      dataList: 'Data allowed: {{tables}}',
      excludedSince: 'Your objection excludes you from this permit’s results since {{date}}.',
      entriesCaption: 'Latest log entries about permit {{id}}',
      noEntries: 'No log entry is about this permit yet.',
      proof: 'Proof',
      proofVerified: 'proof verified',
      proofInvalid: 'invalid proof',
      proofUnavailable: 'cannot be checked in this browser',
      proofChecking: 'checking…',
      summary_zero: 'No proof to check.',
      summary_one: '{{verified}} of {{count}} proof verified.',
      summary_other: '{{verified}} of {{count}} proofs verified.',
      invalidWarning:
        'At least one proof is invalid: the entry shown does not match the signed log. Report it and check the log offline (Transparency page).',
      howTo: 'Check it yourself, offline',
    },
  },
} as const;
