#pragma once

#include <functional>

class QString;
class QWidget;

namespace oauthsim {

// The views' confirmation seam: a view asks `confirm(question)` before it deletes something, and tests answer
// in its place.
class Confirmation
{
public:
    using Ask = std::function<bool(const QString &question)>;
    // A Yes/No QMessageBox titled `title` over `parent`, No by default; true for Yes.
    static Ask messageBox(QWidget *parent, const QString &title);
};

} // namespace oauthsim
