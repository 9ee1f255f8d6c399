//! The route table (the document shell around it is `ssr::shell`).

use leptos::prelude::*;
use leptos_meta::provide_meta_context;
use leptos_router::components::{FlatRoutes, Route, Router};
use leptos_router::{SsrMode, StaticSegment, path};

use crate::admin::account::SessionsPage;
use crate::admin::articles::{
    ArticleListPage, DiffPage, EditArticlePage, NewArticlePage, RevisionsPage,
};
use crate::admin::audit::{AuditPage, AuditVerifyPage};
use crate::admin::columns::{ColumnEditPage, ColumnsPage};
use crate::admin::dashboard::DashboardPage;
use crate::admin::links::LinksPage;
use crate::admin::login::{LoginPage, SecondFactorPage, SetupPage};
use crate::admin::magazine::{IssueEditPage, MagazinePage};
use crate::admin::media::MediaPage;
use crate::admin::messages::{MessagePage, MessageQueuePage};
use crate::admin::notices::{NoticeEditPage, NoticesPage};
use crate::admin::pages::{PageEditPage, PagesPage};
use crate::admin::password::PasswordPage;
use crate::admin::redirects::RedirectsPage;
use crate::admin::review::{ReviewPage, ReviewQueuePage};
use crate::admin::security::{AccountsSecurityPage, SecurityPage, SelfCheckPage};
use crate::admin::submissions::{SubmissionPage, SubmissionQueuePage};
use crate::admin::sys::{SettingsPage, UsersPage};
use crate::admin::two_factor::TwoFactorPage;
use crate::pages::article::ArticlePage;
use crate::pages::column::ColumnPage;
use crate::pages::error::NotFoundPage;
use crate::pages::favorites::FavoritesPage;
use crate::pages::home::HomePage;
use crate::pages::issue::IssuePage;
use crate::pages::messages::{MessageTrackPage, MessagesPage};
use crate::pages::notice::NoticePage;
use crate::pages::search::SearchPage;
use crate::pages::submissions::{SubmissionFormPage, SubmissionTrackPage};

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Router>
            <FlatRoutes fallback=NotFoundPage>
                <Route path=StaticSegment("") view=HomePage ssr=SsrMode::Async />
                <Route path=path!("/articles/:id") view=ArticlePage ssr=SsrMode::Async />
                <Route path=StaticSegment("favorites") view=FavoritesPage ssr=SsrMode::Async />
                <Route path=path!("/columns/:slug") view=ColumnPage ssr=SsrMode::Async />
                <Route path=path!("/notices/:id") view=NoticePage ssr=SsrMode::Async />
                <Route path=StaticSegment("search") view=SearchPage ssr=SsrMode::Async />
                <Route path=path!("/magazine/:year/:number") view=IssuePage ssr=SsrMode::Async />
                <Route path=StaticSegment("messages") view=MessagesPage ssr=SsrMode::Async />
                <Route path=path!("/messages/track") view=MessageTrackPage ssr=SsrMode::Async />
                <Route path=StaticSegment("submit") view=SubmissionFormPage ssr=SsrMode::Async />
                <Route path=path!("/submit/track") view=SubmissionTrackPage ssr=SsrMode::Async />
                <Route path=path!("/admin/login") view=LoginPage ssr=SsrMode::Async />
                <Route path=path!("/admin/setup") view=SetupPage ssr=SsrMode::Async />
                <Route path=path!("/admin/login/2fa") view=SecondFactorPage ssr=SsrMode::Async />
                <Route path=path!("/admin/account/2fa") view=TwoFactorPage ssr=SsrMode::Async />
                <Route path=path!("/admin/security/check") view=SelfCheckPage ssr=SsrMode::Async />
                <Route
                    path=path!("/admin/security/accounts")
                    view=AccountsSecurityPage
                    ssr=SsrMode::Async
                />
                <Route path=path!("/admin") view=DashboardPage ssr=SsrMode::Async />
                <Route path=path!("/admin/password") view=PasswordPage ssr=SsrMode::Async />
                <Route path=path!("/admin/audit") view=AuditPage ssr=SsrMode::Async />
                <Route path=path!("/admin/security") view=SecurityPage ssr=SsrMode::Async />
                <Route path=path!("/admin/account/sessions") view=SessionsPage ssr=SsrMode::Async />
                <Route path=path!("/admin/audit/verify") view=AuditVerifyPage ssr=SsrMode::Async />
                <Route path=path!("/admin/articles") view=ArticleListPage ssr=SsrMode::Async />
                <Route path=path!("/admin/articles/new") view=NewArticlePage ssr=SsrMode::Async />
                <Route path=path!("/admin/articles/:id") view=EditArticlePage ssr=SsrMode::Async />
                <Route
                    path=path!("/admin/articles/:id/revisions")
                    view=RevisionsPage
                    ssr=SsrMode::Async
                />
                <Route path=path!("/admin/revisions/:rev") view=DiffPage ssr=SsrMode::Async />
                <Route path=path!("/admin/media") view=MediaPage ssr=SsrMode::Async />
                <Route path=path!("/admin/review") view=ReviewQueuePage ssr=SsrMode::Async />
                <Route path=path!("/admin/review/:id") view=ReviewPage ssr=SsrMode::Async />
                <Route path=path!("/admin/messages") view=MessageQueuePage ssr=SsrMode::Async />
                <Route path=path!("/admin/messages/:id") view=MessagePage ssr=SsrMode::Async />
                <Route
                    path=path!("/admin/submissions")
                    view=SubmissionQueuePage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/admin/submissions/:id")
                    view=SubmissionPage
                    ssr=SsrMode::Async
                />
                <Route path=path!("/admin/columns") view=ColumnsPage ssr=SsrMode::Async />
                <Route path=path!("/admin/columns/:id") view=ColumnEditPage ssr=SsrMode::Async />
                <Route path=path!("/admin/pages") view=PagesPage ssr=SsrMode::Async />
                <Route path=path!("/admin/pages/:id") view=PageEditPage ssr=SsrMode::Async />
                <Route path=path!("/admin/notices") view=NoticesPage ssr=SsrMode::Async />
                <Route path=path!("/admin/notices/:id") view=NoticeEditPage ssr=SsrMode::Async />
                <Route path=path!("/admin/magazine") view=MagazinePage ssr=SsrMode::Async />
                <Route path=path!("/admin/magazine/:id") view=IssueEditPage ssr=SsrMode::Async />
                <Route path=path!("/admin/links") view=LinksPage ssr=SsrMode::Async />
                <Route path=path!("/admin/redirects") view=RedirectsPage ssr=SsrMode::Async />
                <Route path=path!("/admin/sys/settings") view=SettingsPage ssr=SsrMode::Async />
                <Route path=path!("/admin/sys/users") view=UsersPage ssr=SsrMode::Async />
            </FlatRoutes>
        </Router>
    }
}
