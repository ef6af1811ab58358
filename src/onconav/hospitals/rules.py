import rules

from onconav.accounts.rules import is_admin, is_coordinator, is_partner


@rules.predicate
def represents_hospital(user, hospital_id) -> bool:  # type: ignore[no-untyped-def]
    return bool(hospital_id and getattr(user, "partner_hospital_id", "") == hospital_id)


rules.add_perm("hospitals.propose_change", (is_partner & represents_hospital) | is_admin)
rules.add_perm("hospitals.review_change", is_coordinator | is_admin)
