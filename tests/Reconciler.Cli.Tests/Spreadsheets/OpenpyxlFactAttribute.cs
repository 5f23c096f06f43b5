namespace Reconciler.Cli.Tests.Spreadsheets;

/// <summary>A test that needs openpyxl; skipped, saying how to install it, where it truly is not installed.</summary>
public sealed class OpenpyxlFactAttribute : FactAttribute
{
    public OpenpyxlFactAttribute()
    {
        if (SpreadsheetTools.Python is null)
            Skip = "python3-openpyxl is not installed (apt-get install -y python3-openpyxl); the independent-reader check needs it";
    }
}
