"""Errors of notifications: the outbox (``notify list``, ``notify retry``) and the texts."""

MESSAGES: dict[str, dict[str, str]] = {
    # --- the outbox ---------------------------------------------------------------------
    "notification.not_found": {
        "en": "no notification {id}",
        "ru": "уведомление {id} не найдено",
        "kk": "{id} хабарламасы табылмады",
    },
    "notification.already_sent": {
        "en": "notification {id} was sent at {sent}; it is not sent again",
        "ru": "уведомление {id} отправлено {sent}; повторно оно не отправляется",
        "kk": "{id} хабарламасы {sent} жіберілген; ол қайта жіберілмейді",
    },
    "notification.being_sent": {
        "en": "notification {id} is being sent (claimed by {dispatcher}); if that dispatcher"
        " stopped, {recover} marks it dead first",
        "ru": "уведомление {id} сейчас отправляется (его взял в работу {dispatcher}); если этот"
        " диспетчер остановился, сначала пометьте уведомление как dead: {recover}",
        "kk": "{id} хабарламасы қазір жіберілуде (оны {dispatcher} алды); егер бұл диспетчер"
        " тоқтаса, алдымен хабарламаны dead деп белгілеңіз: {recover}",
    },
    "notification.already_queued": {
        "en": "notification {id} is already queued; {dispatch} sends it",
        "ru": "уведомление {id} уже стоит в очереди; его отправит {dispatch}",
        "kk": "{id} хабарламасы кезекте тұр; оны {dispatch} жібереді",
    },
    "notification.unknown_status": {
        "en": "{status!r} is not one of {allowed}",
        "ru": "{status!r} не входит в число допустимых значений: {allowed}",
        "kk": "{status!r} рұқсат етілген мәндердің бірі емес: {allowed}",
    },
    "notification.unknown_case": {
        "en": "no case {case}",
        "ru": "дело {case} не найдено",
        "kk": "{case} ісі табылмады",
    },
    # --- the texts ------------------------------------------------------------------------
    "notification.unknown_event": {
        "en": "event {event!r}: unknown notification event",
        "ru": "событие {event!r}: неизвестное событие уведомления",
        "kk": "{event!r} оқиғасы: хабарламаның белгісіз оқиғасы",
    },
    "notification.context_lacks": {
        "en": "event {event}: context lacks {missing}",
        "ru": "событие {event}: в контексте нет {missing}",
        "kk": "{event} оқиғасы: контекстте {missing} жоқ",
    },
    "notification.no_template": {
        "en": "event {event}: no template in {languages}",
        "ru": "событие {event}: нет шаблона ни на одном из языков: {languages}",
        "kk": "{event} оқиғасы: мына тілдердің ешқайсысында үлгі жоқ: {languages}",
    },
}
