namespace Reconciler.Cli.Spreadsheets;

/// <summary>Which users a report covers: the console exports each role's users separately.</summary>
internal enum ReportSubject
{
    /// <summary>Users of the agent role and of the organisation's own roles (everyone but admins, supervisors and admin allies).</summary>
    Agents,
    Supervisors,
    AdminAllies,
}
