"""Errors of accounts: passwords, invitations, API tokens, sign-in and throttling.

A refused sign-in never says which part was wrong (``account.bad_credentials``), and a
refused token or invitation never says why (unknown, expired, revoked or used).
"""

MESSAGES: dict[str, dict[str, str]] = {
    # --- sign-in ------------------------------------------------------------------------
    "account.bad_credentials": {
        "en": "wrong e-mail or password",
        "ru": "неверный адрес электронной почты или пароль",
        "kk": "электрондық пошта мекенжайы немесе құпиясөз қате",
    },
    "auth.throttled": {
        "en": "too many failed attempts; try again in {retry_after} s",
        "ru": "слишком много неудачных попыток; повторите через {retry_after} с",
        "kk": "сәтсіз әрекеттер тым көп; {retry_after} секундтан кейін қайталаңыз",
    },
    "account.bad_token": {
        "en": "the API token is unknown, expired or revoked",
        "ru": "API-токен неизвестен, истёк или отозван",
        "kk": "API токені белгісіз, мерзімі өткен немесе кері қайтарылған",
    },
    "account.session_expired": {
        "en": "the session has ended; sign in again",
        "ru": "сеанс завершён; войдите снова",
        "kk": "сеанс аяқталды; қайта кіріңіз",
    },
    "auth.required": {
        "en": "sign in first (a session, or an API token in the Authorization header)",
        "ru": "сначала войдите в систему (сеанс или API-токен в заголовке Authorization)",
        "kk": "алдымен жүйеге кіріңіз (сеанс немесе Authorization тақырыбындағы API токені)",
    },
    "auth.csrf": {
        "en": "a change made with the session's cookie needs its CSRF token (the X-CSRF-Token header or the csrf_token form field)",
        "ru": "изменение с cookie сеанса требует его CSRF-токена (заголовок X-CSRF-Token или поле формы csrf_token)",
        "kk": "сеанс cookie-і арқылы жасалған өзгеріске оның CSRF токені қажет (X-CSRF-Token тақырыбы немесе csrf_token форма өрісі)",
    },
    "auth.actor_is_the_signed_in_person": {
        "en": "over the API the actor is the signed-in person; do not name another",
        "ru": "через API действует вошедшее в систему лицо; не указывайте другое",
        "kk": "API арқылы жүйеге кірген тұлға әрекет етеді; басқа тұлғаны көрсетпеңіз",
    },
    # --- passwords and invitations ------------------------------------------------------
    "account.password_too_short": {
        "en": "must be at least {min} characters long",
        "ru": "должен содержать не менее {min} символов",
        "kk": "кемінде {min} таңбадан тұруы керек",
    },
    "account.password_too_long": {
        "en": "must be at most {max} characters long",
        "ru": "должен содержать не более {max} символов",
        "kk": "{max} таңбадан аспауы керек",
    },
    "account.invitation_ttl": {
        "en": "an invitation is valid for more than 0 and at most {max_hours} hours",
        "ru": "приглашение действует больше 0 и не более {max_hours} часов",
        "kk": "шақыру 0-ден көп және {max_hours} сағаттан аспайтын уақыт жарамды",
    },
    "account.passwords_differ": {
        "en": "the two passwords differ; type the same one twice",
        "ru": "пароли не совпадают; введите один и тот же пароль дважды",
        "kk": "құпия сөздер сәйкес емес; бір құпия сөзді екі рет енгізіңіз",
    },
    "account.bad_invitation": {
        "en": "the invitation link is unknown, used or expired; ask for a new one",
        "ru": "ссылка-приглашение неизвестна, уже использована или истекла; запросите новую",
        "kk": "шақыру сілтемесі белгісіз, пайдаланылған немесе мерзімі өткен; жаңасын сұраңыз",
    },
    # --- API tokens ---------------------------------------------------------------------
    "token.name_length": {
        "en": "must be 1 to {max} characters",
        "ru": "должно содержать от 1 до {max} символов",
        "kk": "1-ден {max} таңбаға дейін болуы керек",
    },
    "token.expires_in_past": {
        "en": "{day} is before today ({today})",
        "ru": "{day} раньше сегодняшнего дня ({today})",
        "kk": "{day} бүгінгі күннен ({today}) бұрын",
    },
    "token.not_found": {
        "en": "no API token with id {id}",
        "ru": "API-токен с идентификатором {id} не найден",
        "kk": "{id} идентификаторы бар API токені табылмады",
    },
}
