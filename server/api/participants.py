"""Participants: mutes and bans, account suspensions, invitation links, moderator notes."""

from starlette.requests import Request

from server import errors
from server.access.admission import ADMIN, MODERATOR, USER
from server.actions import invitations as invitation_actions
from server.actions import notes as note_actions
from server.actions import restrictions as restriction_actions
from server.api.routing import Api, parse_query, path_id, path_slug, services, viewer, written
from server.schemas import common as common_schemas
from server.schemas.participants import (
    InvitationAccept,
    InvitationAccepted,
    InvitationCreate,
    InvitationCreated,
    InvitationList,
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
)

STEWARD_ERRORS = (errors.SpaceNotFound, errors.NotModerator)


def register_routes(api: Api) -> None:
    api.route(
        "GET",
        "/spaces/{slug}/restrictions",
        summary="Mutes and bans in force in the space",
        tag="participants",
        response=RestrictionList,
        auth=MODERATOR,
        raises=STEWARD_ERRORS,
    )(list_restrictions)
    api.route(
        "POST",
        "/spaces/{slug}/restrictions",
        summary="Mute or ban a person in the space (replaces a restriction in force)",
        tag="participants",
        body=RestrictionCreate,
        response=RestrictionWrite,
        status=201,
        auth=MODERATOR,
        raises=(*STEWARD_ERRORS, errors.UserNotFound, errors.CannotRestrictSteward),
    )(restrict)
    api.route(
        "DELETE",
        "/spaces/{slug}/restrictions/{user_id:int}",
        summary="Lift a person's mute or ban",
        tag="participants",
        response=RestrictionWrite,
        auth=MODERATOR,
        raises=(*STEWARD_ERRORS, errors.UserNotFound, errors.RestrictionNotFound),
    )(lift_restriction)
    api.route(
        "POST",
        "/users/{user_id:int}/suspension",
        summary="Suspend an account site-wide (admins)",
        tag="participants",
        body=SuspensionCreate,
        response=Suspension,
        status=201,
        auth=ADMIN,
        raises=(errors.UserNotFound, errors.CannotRestrictSteward),
    )(suspend_account)
    api.route(
        "DELETE",
        "/users/{user_id:int}/suspension",
        summary="Lift an account's suspension (admins)",
        tag="participants",
        response=Suspension,
        auth=ADMIN,
        raises=(errors.UserNotFound, errors.RestrictionNotFound),
    )(unsuspend_account)
    api.route(
        "GET",
        "/spaces/{slug}/invitations",
        summary="The space's invitation links, newest first",
        tag="participants",
        response=InvitationList,
        auth=MODERATOR,
        raises=STEWARD_ERRORS,
    )(list_invitations)
    api.route(
        "POST",
        "/spaces/{slug}/invitations",
        summary="Create an invitation link (its token is shown once)",
        tag="participants",
        body=InvitationCreate,
        response=InvitationCreated,
        status=201,
        auth=MODERATOR,
        raises=STEWARD_ERRORS,
        rate_limit="invitation",
    )(create_invitation)
    api.route(
        "DELETE",
        "/spaces/{slug}/invitations/{id:int}",
        summary="Revoke an invitation link",
        tag="participants",
        response=InvitationWrite,
        auth=MODERATOR,
        raises=(*STEWARD_ERRORS, errors.InvitationNotFound),
    )(revoke_invitation)
    api.route(
        "POST",
        "/invitations/accept",
        summary="Accept an invitation link: become an invited participant of its space",
        tag="participants",
        body=InvitationAccept,
        response=InvitationAccepted,
        auth=USER,
        raises=(
            errors.InvitationNotFound,
            errors.InvitationRevoked,
            errors.InvitationExpired,
            errors.InvitationUsedUp,
            errors.SpaceLocked,
            errors.Banned,
        ),
        rate_limit="invitation",
    )(accept_invitation)
    api.route(
        "GET",
        "/spaces/{slug}/notes",
        summary="Moderators' notes, on one comment or person or all",
        tag="participants",
        query=NoteListQuery,
        response=NoteList,
        auth=MODERATOR,
        raises=STEWARD_ERRORS,
    )(list_notes)
    api.route(
        "POST",
        "/spaces/{slug}/notes",
        summary="Write a note for the other moderators on a comment or a person",
        tag="participants",
        body=NoteCreate,
        response=NoteWrite,
        status=201,
        auth=MODERATOR,
        raises=(*STEWARD_ERRORS, errors.NoteTargetNotFound),
    )(create_note)
    api.route(
        "DELETE",
        "/spaces/{slug}/notes/{id:int}",
        summary="Delete a moderators' note",
        tag="participants",
        response=NoteWrite,
        auth=MODERATOR,
        raises=(*STEWARD_ERRORS, errors.NoteNotFound),
    )(delete_note)


async def list_restrictions(request: Request, _: None) -> RestrictionList:
    space, rows = await restriction_actions.list_restrictions(
        services(request), await viewer(request), path_slug(request)
    )
    return RestrictionList(items=[restriction(row, space.slug, user) for row, user in rows])


async def restrict(request: Request, body: RestrictionCreate) -> RestrictionWrite:
    slug = path_slug(request)
    row, user, event = await restriction_actions.restrict(
        services(request), await viewer(request), slug, body
    )
    return written(RestrictionWrite, restriction(row, slug, user), event)


async def lift_restriction(request: Request, _: None) -> RestrictionWrite:
    slug = path_slug(request)
    user_id = path_id(request, "user_id", errors.UserNotFound)
    row, user, event = await restriction_actions.lift_restriction(
        services(request), await viewer(request), slug, user_id
    )
    return written(RestrictionWrite, restriction(row, slug, user), event)


async def suspend_account(request: Request, body: SuspensionCreate) -> Suspension:
    user_id = path_id(request, "user_id", errors.UserNotFound)
    row, user, revoked = await restriction_actions.suspend_account(
        services(request), await viewer(request), user_id, body
    )
    return Suspension(
        user=common_schemas.user_summary(user),
        suspended=True,
        reason=row.reason,
        note=row.note,
        created_by=row.created_by,
        created_at=row.created_at,
        sessions_revoked=revoked,
    )


async def unsuspend_account(request: Request, _: None) -> Suspension:
    user_id = path_id(request, "user_id", errors.UserNotFound)
    row, user = await restriction_actions.unsuspend_account(services(request), await viewer(request), user_id)
    return Suspension(
        user=common_schemas.user_summary(user),
        suspended=False,
        reason=row.reason,
        note=row.note,
        created_by=row.created_by,
        created_at=row.created_at,
        sessions_revoked=0,
    )


async def list_invitations(request: Request, _: None) -> InvitationList:
    space, rows = await invitation_actions.list_invitations(
        services(request), await viewer(request), path_slug(request)
    )
    return InvitationList(items=[invitation(r, space.slug) for r in rows])


async def create_invitation(request: Request, body: InvitationCreate) -> InvitationCreated:
    slug = path_slug(request)
    row, token, event = await invitation_actions.create_invitation(
        services(request), await viewer(request), slug, body
    )
    return written(InvitationCreated, invitation(row, slug), event, token=token)


async def revoke_invitation(request: Request, _: None) -> InvitationWrite:
    slug = path_slug(request)
    invitation_id = path_id(request, "id", errors.InvitationNotFound)
    row, event = await invitation_actions.revoke_invitation(
        services(request), await viewer(request), slug, invitation_id
    )
    return written(InvitationWrite, invitation(row, slug), event)


async def accept_invitation(request: Request, body: InvitationAccept) -> InvitationAccepted:
    space, user, event = await invitation_actions.accept_invitation(
        services(request), await viewer(request), body.token
    )
    return InvitationAccepted(
        space=space.slug,
        user=common_schemas.user_summary(user),
        already_invited=event is None,
        event_seq=event.seq if event else None,
    )


async def list_notes(request: Request, _: None) -> NoteList:
    query = parse_query(request, NoteListQuery)
    rows = await note_actions.list_notes(
        services(request),
        await viewer(request),
        path_slug(request),
        query.target_type,
        query.target_id,
    )
    return NoteList(items=[note(r) for r in rows])


async def create_note(request: Request, body: NoteCreate) -> NoteWrite:
    row, event = await note_actions.create_note(
        services(request), await viewer(request), path_slug(request), body
    )
    return written(NoteWrite, note(row), event)


async def delete_note(request: Request, _: None) -> NoteWrite:
    note_id = path_id(request, "id", errors.NoteNotFound)
    row, event = await note_actions.delete_note(
        services(request), await viewer(request), path_slug(request), note_id
    )
    return written(NoteWrite, note(row), event)
