#include "UiModule.h"

#include <QApplication>

namespace oauthsim::ui {

bool widgetsAvailable()
{
    return qobject_cast<QApplication *>(QCoreApplication::instance()) != nullptr;
}

} // namespace oauthsim::ui
