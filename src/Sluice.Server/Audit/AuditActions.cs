namespace Sluice.Server.Audit;

/// <summary>The actions the trail records; a refused request on any other route is <see cref="Request"/>.</summary>
public static class AuditActions
{
    public const string Presign = "presign";
    public const string PresignBatch = "presign-batch";
    public const string UploadForm = "upload-form";
    public const string MultipartCreate = "multipart-create";
    public const string MultipartSignParts = "multipart-sign-parts";
    public const string MultipartList = "multipart-list";
    public const string MultipartComplete = "multipart-complete";
    public const string MultipartAbort = "multipart-abort";
    public const string ArtifactLink = "artifact-link";
    public const string ArtifactDelete = "artifact-delete";
    public const string AccountPut = "account-put";
    public const string AccountDelete = "account-delete";
    public const string TokenCreate = "token-create";
    public const string TokenRevoke = "token-revoke";
    public const string Request = "request";
}
