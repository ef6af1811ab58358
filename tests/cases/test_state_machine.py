import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from onconav.accounts.models import Role
from onconav.cases.models import CaseEvent, CaseState, EventKind
from onconav.cases.services import add_business_days, case_transition
from onconav.cases.workflow import FORWARD, TERMINAL, TRANSITIONS, allowed_targets
from tests.cases.factories import HOSPITAL, CaseFactory, QuoteFactory, ReferralFactory, make_matchable

pytestmark = pytest.mark.django_db
S = CaseState


def test_coordinator_takes_a_case_through_every_state_to_closed_with_a_timeline(coordinator):
    # Given a new case
    case = CaseFactory()
    # When the coordinator moves it along the whole happy path (a quote is sent on the way)
    for to_state in FORWARD[1:]:
        if to_state == S.HOSPITAL_MATCHED:
            make_matchable(case)
        if to_state == S.QUOTE_SENT:
            QuoteFactory(case=case)
        case = case_transition(case=case, to_state=to_state, actor=coordinator)
    # Then it is closed and every transition is on the timeline, in order
    assert case.state == S.CLOSED and case.closed_at is not None
    steps = list(
        CaseEvent.objects.filter(case=case, kind=EventKind.TRANSITION).values_list("from_state", "to_state")
    )
    assert steps == list(zip(FORWARD[:-1], FORWARD[1:], strict=True))


def test_states_cannot_be_skipped(coordinator):
    case = CaseFactory()
    with pytest.raises(ValidationError):
        case_transition(case=case, to_state=S.IN_TREATMENT, actor=coordinator)
    case.refresh_from_db()
    assert case.state == S.NEW and not CaseEvent.objects.filter(case=case, kind=EventKind.TRANSITION).exists()


def test_patient_cannot_move_their_case_forward_but_can_withdraw_it():
    case = CaseFactory()
    with pytest.raises(PermissionDenied):
        case_transition(case=case, to_state=S.RECORDS_REVIEW, actor=case.patient)
    case = case_transition(case=case, to_state=S.WITHDRAWN, actor=case.patient, note="changed my mind")
    assert case.state == S.WITHDRAWN


def test_withdrawn_and_declined_are_possible_from_every_open_state():
    for state in S.values:
        if state in TERMINAL:
            assert not [k for k in TRANSITIONS if k[0] == state]
        else:
            assert (state, S.WITHDRAWN) in TRANSITIONS and (state, S.DECLINED) in TRANSITIONS


def test_nothing_leaves_a_closed_case(coordinator):
    case = CaseFactory(state=S.CLOSED)
    with pytest.raises(ValidationError):
        case_transition(case=case, to_state=S.FOLLOW_UP, actor=coordinator)


def test_quote_sent_needs_a_sent_quote(coordinator):
    case = CaseFactory(state=S.HOSPITAL_MATCHED)
    with pytest.raises(ValidationError):
        case_transition(case=case, to_state=S.QUOTE_SENT, actor=coordinator)


def test_clinician_may_start_the_mdt_opinion_and_decline_but_not_match_hospitals(clinician):
    case = CaseFactory(state=S.RECORDS_REVIEW)
    assert set(allowed_targets(case=case, user=clinician)) == {S.MDT_OPINION, S.DECLINED}
    case = case_transition(case=case, to_state=S.MDT_OPINION, actor=clinician)
    with pytest.raises(PermissionDenied):
        case_transition(case=case, to_state=S.HOSPITAL_MATCHED, actor=clinician)


def test_partner_of_the_referred_hospital_may_start_treatment(partner):
    case = CaseFactory(state=S.VISA_TRAVEL)
    ReferralFactory(case=case, hospital_id=HOSPITAL, status="accepted")
    case = case_transition(case=case, to_state=S.IN_TREATMENT, actor=partner)
    assert case.state == S.IN_TREATMENT


@pytest.mark.parametrize(
    ("role", "state", "expected"),
    [
        (Role.COORDINATOR, S.NEW, {S.RECORDS_REVIEW, S.WITHDRAWN, S.DECLINED}),
        (Role.CLINICIAN, S.NEW, {S.DECLINED}),
        (Role.PARTNER, S.NEW, set()),
        (Role.COORDINATOR, S.QUOTE_SENT, {S.QUOTE_ACCEPTED, S.HOSPITAL_MATCHED, S.WITHDRAWN, S.DECLINED}),
        (Role.PARTNER, S.IN_TREATMENT, {S.FOLLOW_UP}),
        (Role.COORDINATOR, S.FOLLOW_UP, {S.CLOSED, S.WITHDRAWN, S.DECLINED}),
        (Role.ADMIN, S.CLOSED, set()),
    ],
)
def test_allowed_transitions_per_role(make_user, role, state, expected):
    user = make_user(role)
    case = CaseFactory(state=state)
    assert set(allowed_targets(case=case, user=user)) == expected


def test_owner_may_accept_a_sent_quote_through_the_table():
    case = CaseFactory(state=S.QUOTE_SENT)
    assert set(allowed_targets(case=case, user=case.patient)) == {S.QUOTE_ACCEPTED, S.WITHDRAWN}


def test_first_reply_is_due_two_business_days_later_skipping_the_weekend():
    import datetime as dt

    friday = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
    assert add_business_days(friday, 2) == dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("opinion", "accepted", "missing"),
    [
        (False, False, ["tumour board", "accept the referral"]),
        (True, False, ["accept the referral"]),
        (False, True, ["tumour board"]),
    ],
)
def test_hospital_matched_needs_an_opinion_and_an_accepted_referral(coordinator, opinion, accepted, missing):
    from tests.cases.factories import OpinionFactory

    case = CaseFactory(state=S.MDT_OPINION)
    if opinion:
        OpinionFactory(case=case)
    ReferralFactory(case=case, status="accepted" if accepted else "pending")
    with pytest.raises(ValidationError) as exc:
        case_transition(case=case, to_state=S.HOSPITAL_MATCHED, actor=coordinator)
    text = " ".join(exc.value.messages)
    for m in missing:
        assert m in text
    case.refresh_from_db()
    assert case.state == S.MDT_OPINION


def test_hospital_matched_with_opinion_and_accepted_referral(coordinator):
    case = CaseFactory(state=S.MDT_OPINION)
    make_matchable(case)
    assert (
        case_transition(case=case, to_state=S.HOSPITAL_MATCHED, actor=coordinator).state == S.HOSPITAL_MATCHED
    )


@pytest.mark.parametrize("state", [S.NEW, S.RECORDS_REVIEW, S.MDT_OPINION])
def test_no_quote_is_sent_before_a_hospital_is_matched(coordinator, state):
    from onconav.cases.services import quote_send

    case = CaseFactory(state=state)
    quote = QuoteFactory(case=case, status="draft")
    with pytest.raises(ValidationError):
        quote_send(quote=quote, actor=coordinator)
    quote.refresh_from_db()
    assert quote.status == "draft"


def test_refused_transition_says_why_in_the_page(coordinator, login_as):
    from django.test import Client

    case = CaseFactory(state=S.MDT_OPINION)
    client = login_as(coordinator, Client())
    page = client.get(f"/cases/{case.public_id}/").content.decode()
    assert "Before the case can move on" in page and "tumour board" in page
    resp = client.post(f"/cases/{case.public_id}/transition/", {"to_state": S.HOSPITAL_MATCHED})
    html = resp.content.decode()
    assert resp.status_code == 400 and "error-summary" in html and "accept the referral" in html
