#pragma once

#include "serverevent.h"
#include "wirecodec.h"
#include "writebatcher.h"

class ClientSession;

// One event on its way to many clients: each rendering of it (one per WireCodec: plain,
// plain naming its room, JSON of each version, ...) is written into this pass's batch once,
// when the first client that needs it comes, and every client then refers to its stretch
// (WriteBatcher). Clients that are not to hear it are passed over: those that have not given
// the password (but for a shutdown), those far behind (a message counts as missed), and those
// whose codec has no rendering of it.
class EventFanout
{
public:
    EventFanout(WriteBatcher *batcher, const ServerEvent &event);

    void sendTo(ClientSession *client);

private:
    // A slot's stretch before its rendering is made, and when the codec renders nothing.
    static constexpr std::pair<qsizetype, qsizetype> notYet{ -1, -1 };
    static constexpr std::pair<qsizetype, qsizetype> nothing{ -2, -2 };

    WriteBatcher *m_batcher;
    const ServerEvent &m_event;
    const bool m_namesRoom; // WireCodec::namesRoom, once for all clients
    std::pair<qsizetype, qsizetype> m_stretch[WireCodec::slotCount];
};
