"""Participants: mutes and bans, account suspensions, invitation links, moderator notes."""

from starlette.requests import Request

from server import errors
from server.access.admission import ADMIN, ANYONE, MODERATOR, USER
from server.actions import invitations as invitation_actions
from server.actions import notes as note_actions
from server.actions import restrictions as restriction_actions
from server.api.declaring import ApiModule
from server.api.routing import (
    STEWARD_ERRORS,
    parse_query,
    path_id,
    path_slug,
    services,
    viewer,
    written,
)
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
async def list_restrictions(request: Request, _: None) -> RestrictionList:
    """Mutes and bans in force in the space"""
    space, rows = await restriction_actions.list_restrictions(
        services(request), await viewer(request), path_slug(request)
    )
    return RestrictionList(items=[restriction(row, space.slug, user) for row, user in rows])


@api.post(
    "/spaces/{slug}/restrictions",
    status=201,
    raises=(*STEWARD_ERRORS, errors.UserNotFound, errors.CannotRestrictSteward),
)
async def restrict(request: Request, body: RestrictionCreate) -> RestrictionWrite:
    """Mute or ban a person in the space (replaces a restriction in force)"""
    slug = path_slug(request)
    row, user, event = await restriction_actions.restrict(
        services(request), await viewer(request), slug, body
    )
    return written(RestrictionWrite, restriction(row, slug, user), event)


@api.delete(
    "/spaces/{slug}/restrictions/{user_id:int}",
    raises=(*STEWARD_ERRORS, errors.UserNotFound, errors.RestrictionNotFound),
)
async def lift_restriction(request: Request, _: None) -> RestrictionWrite:
    """Lift a person's mute or ban"""
    slug = path_slug(request)
    user_id = path_id(request, "user_id", errors.UserNotFound)
    row, user, event = await restriction_actions.lift_restriction(
        services(request), await viewer(request), slug, user_id
    )
    return written(RestrictionWrite, restriction(row, slug, user), event)


@api.post(
    "/users/{user_id:int}/suspension",
    status=201,
    auth=ADMIN,
    raises=(errors.UserNotFound, errors.CannotRestrictSteward),
)
async def suspend_account(request: Request, body: SuspensionCreate) -> Suspension:
    """Suspend an account site-wide (admins)"""
    user_id = path_id(request, "user_id", errors.UserNotFound)
    row, user, revoked = await restriction_actions.suspend_account(
        services(request), await viewer(request), user_id, body
    )
    return suspension(row, user, suspended=True, sessions_revoked=revoked)


@api.delete(
    "/users/{user_id:int}/suspension", auth=ADMIN, raises=(errors.UserNotFound, errors.RestrictionNotFound)
)
async def unsuspend_account(request: Request, _: None) -> Suspension:
    """Lift an account's suspension (admins)"""
    user_id = path_id(request, "user_id", errors.UserNotFound)
    row, user = await restriction_actions.unsuspend_account(services(request), await viewer(request), user_id)
    return suspension(row, user, suspended=False, sessions_revoked=0)


@api.get("/spaces/{slug}/invitations", raises=STEWARD_ERRORS)
async def list_invitations(request: Request, _: None) -> InvitationList:
    """The space's invitation links, newest first"""
    space, rows = await invitation_actions.list_invitations(
        services(request), await viewer(request), path_slug(request)
    )
    return InvitationList(items=[invitation(r, space.slug) for r in rows])


@api.post("/spaces/{slug}/invitations", status=201, raises=STEWARD_ERRORS, rate_limit="invitation")
async def create_invitation(request: Request, body: InvitationCreate) -> InvitationCreated:
    """Create an invitation link (its token is shown once)"""
    slug = path_slug(request)
    row, token, event = await invitation_actions.create_invitation(
        services(request), await viewer(request), slug, body
    )
    return written(InvitationCreated, invitation(row, slug), event, token=token)


@api.delete("/spaces/{slug}/invitations/{id:int}", raises=(*STEWARD_ERRORS, errors.InvitationNotFound))
async def revoke_invitation(request: Request, _: None) -> InvitationWrite:
    """Revoke an invitation link"""
    slug = path_slug(request)
    invitation_id = path_id(request, "id", errors.InvitationNotFound)
    row, event = await invitation_actions.revoke_invitation(
        services(request), await viewer(request), slug, invitation_id
    )
    return written(InvitationWrite, invitation(row, slug), event)


# Why a link no longer leads in: said alike when it is looked at and when it is accepted.
INVITATION_REFUSALS = (
    errors.InvitationNotFound,
    errors.InvitationRevoked,
    errors.InvitationExpired,
    errors.InvitationUsedUp,
)


@api.post("/invitations/preview", auth=ANYONE, raises=INVITATION_REFUSALS, rate_limit="invitation")
async def preview_invitation(request: Request, body: InvitationAccept) -> InvitationPreview:
    """What an invitation link leads to, before joining (the token goes in the body, kept out of logs)"""
    space, row, joined = await invitation_actions.preview_invitation(
        services(request), await viewer(request), body.token
    )
    return InvitationPreview(
        space=space.slug, title=space.title, expires_at=row.expires_at, already_invited=joined
    )


@api.post(
    "/invitations/accept",
    auth=USER,
    raises=(*INVITATION_REFUSALS, errors.SpaceLocked, errors.Banned),
    rate_limit="invitation",
)
async def accept_invitation(request: Request, body: InvitationAccept) -> InvitationAccepted:
    """Accept an invitation link: become an invited participant of its space"""
    space, user, event = await invitation_actions.accept_invitation(
        services(request), await viewer(request), body.token
    )
    return InvitationAccepted(
        space=space.slug,
        user=common_schemas.user_summary(user),
        already_invited=event is None,
        event_seq=event.seq if event else None,
    )


@api.get("/spaces/{slug}/notes", query=NoteListQuery, raises=STEWARD_ERRORS)
async def list_notes(request: Request, _: None) -> NoteList:
    """Moderators' notes, on one comment or person or all"""
    query = parse_query(request, NoteListQuery)
    rows = await note_actions.list_notes(
        services(request),
        await viewer(request),
        path_slug(request),
        query.target_type,
        query.target_id,
    )
    return NoteList(items=[note(r) for r in rows])


@api.post("/spaces/{slug}/notes", status=201, raises=(*STEWARD_ERRORS, errors.NoteTargetNotFound))
async def create_note(request: Request, body: NoteCreate) -> NoteWrite:
    """Write a note for the other moderators on a comment or a person"""
    row, event = await note_actions.create_note(
        services(request), await viewer(request), path_slug(request), body
    )
    return written(NoteWrite, note(row), event)


@api.delete("/spaces/{slug}/notes/{id:int}", raises=(*STEWARD_ERRORS, errors.NoteNotFound))
async def delete_note(request: Request, _: None) -> NoteWrite:
    """Delete a moderators' note"""
    note_id = path_id(request, "id", errors.NoteNotFound)
    row, event = await note_actions.delete_note(
        services(request), await viewer(request), path_slug(request), note_id
    )
    return written(NoteWrite, note(row), event)


# What build_api (server/app.py) calls to add this module's routes.
register_routes = api.register_routes
