namespace Reconciler.Cli.Tests.Spreadsheets;

/// <summary>A test that needs LibreOffice Calc headless; skipped, saying how to install it, where it truly is not installed.</summary>
public sealed class LibreOfficeFactAttribute : FactAttribute
{
    public LibreOfficeFactAttribute()
    {
        if (SpreadsheetTools.Soffice is null)
            Skip = "LibreOffice is not installed (apt-get install -y libreoffice-calc-nogui); the independent-reader check needs soffice";
    }
}
