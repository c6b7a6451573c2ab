"""Errors of the authorization table (``models/permissions/``): who may see and do what."""

MESSAGES: dict[str, dict[str, str]] = {
    "permission.denied": {
        "en": "{email} may not do {operation} on case {number}",
        "ru": "{email} не вправе выполнять {operation} по делу {number}",
        "kk": "{email} {number} ісі бойынша {operation} орындай алмайды",
    },
    "permission.denied_organization": {
        "en": "{email} may not do {operation} in organization {org}",
        "ru": "{email} не вправе выполнять {operation} в организации {org}",
        "kk": "{email} {org} ұйымында {operation} орындай алмайды",
    },
    "permission.denied_installation": {
        "en": "{email} may not do {operation}: it is for the installation's administrator",
        "ru": "{email} не вправе выполнять {operation}: это право администратора всей установки",
        "kk": "{email} {operation} орындай алмайды: бұл бүкіл жүйе әкімшісінің құқығы",
    },
    "permission.every_body_only": {
        "en": "{email} may not see every body's cases: the overview is for those who see them all (the Agency)",
        "ru": "{email} не вправе видеть дела всех органов: обзор доступен тем, кто видит их все (Агентство)",
        "kk": "{email} барлық органдардың істерін көре алмайды: шолу оларды түгел көретіндерге (Агенттікке) арналған",
    },
    "permission.sign_in_required": {
        "en": "{operation} needs a signed-in person",
        "ru": "для {operation} нужно войти в систему",
        "kk": "{operation} үшін жүйеге кіру қажет",
    },
}
