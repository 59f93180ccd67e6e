using System.Runtime.CompilerServices;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.S3;

namespace Sluice.Core.Providers.S3;

/// <summary>
/// The store's S3 client, which can be told a request body's SHA-256 in advance. Over plain HTTP
/// the payload is signed, and the SDK would otherwise read every part a second time, synchronously
/// and in 4 KiB pieces, just to hash it; the uploader already reads each part once for its
/// Content-MD5 and takes the SHA-256 in the same pass. The signature still covers the bytes, so
/// the server checks them exactly as before.
/// </summary>
public sealed class StoreS3Client(AWSCredentials credentials, AmazonS3Config config) : AmazonS3Client(credentials, config)
{
    private readonly ConditionalWeakTable<AmazonWebServiceRequest, string> _payloadHashes = new();

    /// <summary>
    /// Signs <paramref name="request"/>'s body as <paramref name="sha256Hex"/> (lower-case hex)
    /// instead of hashing it; a wrong value makes the server refuse the request, never store other bytes.
    /// </summary>
    public void UsePayloadHash(AmazonWebServiceRequest request, string sha256Hex) => _payloadHashes.AddOrUpdate(request, sha256Hex);

    protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
    {
        base.CustomizeRuntimePipeline(pipeline);
        pipeline.AddHandlerBefore<Signer>(new PayloadHashHandler(_payloadHashes));
    }

    /// <summary>Hands the signer the hash given for the request, on every attempt (a retry signs again).</summary>
    private sealed class PayloadHashHandler(ConditionalWeakTable<AmazonWebServiceRequest, string> hashes) : PipelineHandler
    {
        public override void InvokeSync(IExecutionContext executionContext)
        {
            Apply(executionContext);
            base.InvokeSync(executionContext);
        }

        public override Task<T> InvokeAsync<T>(IExecutionContext executionContext)
        {
            Apply(executionContext);
            return base.InvokeAsync<T>(executionContext);
        }

        private void Apply(IExecutionContext executionContext)
        {
            IRequestContext context = executionContext.RequestContext;
            if (context.OriginalRequest is { } original && hashes.TryGetValue(original, out string? hash))
            {
                context.Request.PrecomputedContentSha256 = hash;
            }
        }
    }
}
