#pragma once

#include "serverconfig.h"

#include <QDialog>

#include <memory>

namespace Ui {
class SettingsDialog;
}

// Edits the saved server settings. They apply when the service next starts; options given
// on the command line still win for this run, and the dialog says which.
class SettingsDialog : public QDialog
{
    Q_OBJECT

public:
    SettingsDialog(const ServerConfig &saved, const QStringList &overridden, QWidget *parent = nullptr);
    ~SettingsDialog() override;

    ServerConfig config() const;

public Q_SLOTS:
    void accept() override;

private:
    void showConfig(const ServerConfig &config);

    std::unique_ptr<Ui::SettingsDialog> m_ui;
    ServerConfig m_saved;
};
