"""Participants flag a comment for the moderators' attention."""

from server import errors
from server.access.admission import USER
from server.actions import flags as flag_actions
from server.api.call import Call
from server.api.declaring import ApiModule
from server.api.moderation import FLAG_ERRORS
from server.schemas.moderation import FlagBody, FlagWrite

api = ApiModule(tag="moderation", auth=USER)


@api.post(
    "/comments/{id:int}/flags",
    status=201,
    raises=(
        errors.CommentNotFound,
        errors.CommentDeleted,
        *FLAG_ERRORS,
    ),
    rate_limit="flag",
)
async def flag(call: Call, body: FlagBody) -> FlagWrite:
    """Flag a comment for the moderators' attention"""
    comment_id = call.path_id(errors.CommentNotFound)
    row, events = await flag_actions.flag_comment(call.services, call.viewer, comment_id, body)
    return FlagWrite(
        comment_id=row.comment_id,
        reason=body.reason,
        text=row.text,
        created_at=row.created_at,
        event_seq=events[0].seq,
    )


# What build_api (server/app.py) calls to add this module's routes.
register_routes = api.register_routes
