#include "Confirmation.h"

#include <QMessageBox>

namespace oauthsim {

Confirmation::Ask Confirmation::messageBox(QWidget *parent, const QString &title)
{
    return [parent, title](const QString &question) {
        return QMessageBox::question(parent, title, question, QMessageBox::Yes | QMessageBox::No, QMessageBox::No) ==
               QMessageBox::Yes;
    };
}

} // namespace oauthsim
