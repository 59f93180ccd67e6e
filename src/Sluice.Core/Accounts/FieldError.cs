namespace Sluice.Core.Accounts;

/// <summary>One thing wrong with one field of a request, named as the client wrote it.</summary>
public sealed record FieldError(string Field, string Message);
