"""Participants: mutes and bans, account suspensions, invitation links, moderator notes."""

from server import errors
from server.access.admission import ADMIN, ANYONE, MODERATOR, USER
from server.actions import invitations as invitation_actions
from server.actions import notes as note_actions
from server.actions import restrictions as restriction_actions
from server.api.call import Call
from server.api.declaring import ApiModule
from server.api.routing import STEWARD_ERRORS, written
from server.schemas import common as common_schemas
from server.schemas.participants import (
    InvitationAccept,
    InvitationAccepted,
    InvitationCreate,
    InvitationCreated,
    InvitationList,
    InvitationPreview,
    InvitationWrite,
    NoteCreate,
    NoteList,
    NoteListQuery,
    NoteWrite,
    RestrictionCreate,
    RestrictionList,
    RestrictionWrite,
    Suspension,
    SuspensionCreate,
    invitation,
    note,
    restriction,
    suspension,
)

api = ApiModule(tag="participants", auth=MODERATOR)


@api.get("/spaces/{slug}/restrictions", raises=STEWARD_ERRORS)
async def list_restrictions(call: Call, _: None) -> RestrictionList:
    """Mutes and bans in force in the space"""
    space, rows = await restriction_actions.list_restrictions(call.services, call.viewer, call.slug)
    return RestrictionList(items=[restriction(row, space.slug, user) for row, user in rows])


@api.post(
    "/spaces/{slug}/restrictions",
    status=201,
    raises=(*STEWARD_ERRORS, errors.UserNotFound, errors.CannotRestrictSteward),
)
async def restrict(call: Call, body: RestrictionCreate) -> RestrictionWrite:
    """Mute or ban a person in the space (replaces a restriction in force)"""
    row, user, event = await restriction_actions.restrict(call.services, call.viewer, call.slug, body)
    return written(RestrictionWrite, restriction(row, call.slug, user), event)


@api.delete(
    "/spaces/{slug}/restrictions/{user_id:int}",
    raises=(*STEWARD_ERRORS, errors.UserNotFound, errors.RestrictionNotFound),
)
async def lift_restriction(call: Call, _: None) -> RestrictionWrite:
    """Lift a person's mute or ban"""
    user_id = call.path_id(errors.UserNotFound, "user_id")
    row, user, event = await restriction_actions.lift_restriction(
        call.services, call.viewer, call.slug, user_id
    )
    return written(RestrictionWrite, restriction(row, call.slug, user), event)


@api.post(
    "/users/{user_id:int}/suspension",
    status=201,
    auth=ADMIN,
    raises=(errors.UserNotFound, errors.CannotRestrictSteward),
)
async def suspend_account(call: Call, body: SuspensionCreate) -> Suspension:
    """Suspend an account site-wide (admins)"""
    user_id = call.path_id(errors.UserNotFound, "user_id")
    row, user, revoked = await restriction_actions.suspend_account(call.services, call.viewer, user_id, body)
    return suspension(row, user, suspended=True, sessions_revoked=revoked)


@api.delete(
    "/users/{user_id:int}/suspension", auth=ADMIN, raises=(errors.UserNotFound, errors.RestrictionNotFound)
)
async def unsuspend_account(call: Call, _: None) -> Suspension:
    """Lift an account's suspension (admins)"""
    user_id = call.path_id(errors.UserNotFound, "user_id")
    row, user = await restriction_actions.unsuspend_account(call.services, call.viewer, user_id)
    return suspension(row, user, suspended=False, sessions_revoked=0)


@api.get("/spaces/{slug}/invitations", raises=STEWARD_ERRORS)
async def list_invitations(call: Call, _: None) -> InvitationList:
    """The space's invitation links, newest first"""
    space, rows = await invitation_actions.list_invitations(call.services, call.viewer, call.slug)
    return InvitationList(items=[invitation(r, space.slug) for r in rows])


@api.post("/spaces/{slug}/invitations", status=201, raises=STEWARD_ERRORS, rate_limit="invitation")
async def create_invitation(call: Call, body: InvitationCreate) -> InvitationCreated:
    """Create an invitation link (its token is shown once)"""
    row, token, event = await invitation_actions.create_invitation(
        call.services, call.viewer, call.slug, body
    )
    return written(InvitationCreated, invitation(row, call.slug), event, token=token)


@api.delete("/spaces/{slug}/invitations/{id:int}", raises=(*STEWARD_ERRORS, errors.InvitationNotFound))
async def revoke_invitation(call: Call, _: None) -> InvitationWrite:
    """Revoke an invitation link"""
    invitation_id = call.path_id(errors.InvitationNotFound)
    row, event = await invitation_actions.revoke_invitation(
        call.services, call.viewer, call.slug, invitation_id
    )
    return written(InvitationWrite, invitation(row, call.slug), event)


# Why a link no longer leads in: said alike when it is looked at and when it is accepted.
INVITATION_REFUSALS = (
    errors.InvitationNotFound,
    errors.InvitationRevoked,
    errors.InvitationExpired,
    errors.InvitationUsedUp,
)


@api.post("/invitations/preview", auth=ANYONE, raises=INVITATION_REFUSALS, rate_limit="invitation")
async def preview_invitation(call: Call, body: InvitationAccept) -> InvitationPreview:
    """What an invitation link leads to, before joining (the token goes in the body, kept out of logs)"""
    space, row, joined = await invitation_actions.preview_invitation(call.services, call.viewer, body.token)
    return InvitationPreview(
        space=space.slug, title=space.title, expires_at=row.expires_at, already_invited=joined
    )


@api.post(
    "/invitations/accept",
    auth=USER,
    raises=(*INVITATION_REFUSALS, errors.SpaceLocked, errors.Banned),
    rate_limit="invitation",
)
async def accept_invitation(call: Call, body: InvitationAccept) -> InvitationAccepted:
    """Accept an invitation link: become an invited participant of its space"""
    space, user, event = await invitation_actions.accept_invitation(call.services, call.viewer, body.token)
    return InvitationAccepted(
        space=space.slug,
        user=common_schemas.user_summary(user),
        already_invited=event is None,
        event_seq=event.seq if event else None,
    )


@api.get("/spaces/{slug}/notes", query=NoteListQuery, raises=STEWARD_ERRORS)
async def list_notes(call: Call, _: None) -> NoteList:
    """Moderators' notes, on one comment or person or all"""
    query = call.query(NoteListQuery)
    rows = await note_actions.list_notes(
        call.services,
        call.viewer,
        call.slug,
        query.target_type,
        query.target_id,
    )
    return NoteList(items=[note(r) for r in rows])


@api.post("/spaces/{slug}/notes", status=201, raises=(*STEWARD_ERRORS, errors.NoteTargetNotFound))
async def create_note(call: Call, body: NoteCreate) -> NoteWrite:
    """Write a note for the other moderators on a comment or a person"""
    row, event = await note_actions.create_note(call.services, call.viewer, call.slug, body)
    return written(NoteWrite, note(row), event)


@api.delete("/spaces/{slug}/notes/{id:int}", raises=(*STEWARD_ERRORS, errors.NoteNotFound))
async def delete_note(call: Call, _: None) -> NoteWrite:
    """Delete a moderators' note"""
    note_id = call.path_id(errors.NoteNotFound)
    row, event = await note_actions.delete_note(call.services, call.viewer, call.slug, note_id)
    return written(NoteWrite, note(row), event)


# What build_api (server/app.py) calls to add this module's routes.
register_routes = api.register_routes
