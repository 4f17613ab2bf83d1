#pragma once

#include "serverevent.h"
#include "writebatcher.h"

class ClientSession;

// One event on its way to many clients: each rendering of it (plain, plain naming its room,
// JSON) is written into this pass's batch once, when the first client that needs it comes,
// and every client then refers to its stretch (WriteBatcher). Clients that are not to hear
// it are passed over: those that have not given the password (but for a shutdown), those far
// behind (a message counts as missed), and version-1 JSON clients for the event types that
// version added.
class EventFanout
{
public:
    EventFanout(WriteBatcher *batcher, const ServerEvent &event);

    void sendTo(ClientSession *client);

private:
    enum Rendering { Plain, PlainMarked, Json, RenderingCount };

    WriteBatcher *m_batcher;
    const ServerEvent &m_event;
    // Whether the event is about a room, so that plain clients in several rooms get a line
    // naming it (for the others both renderings are the same bytes: one is enough).
    bool m_namesRoom;
    std::pair<qsizetype, qsizetype> m_stretch[RenderingCount] = { { -1, -1 }, { -1, -1 }, { -1, -1 } };
};
