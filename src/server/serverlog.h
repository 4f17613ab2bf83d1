#pragma once

#include <QLoggingCategory>

// Connects, disconnects (with the reason), nick changes and errors: one line each.
Q_DECLARE_LOGGING_CATEGORY(lcServer)
