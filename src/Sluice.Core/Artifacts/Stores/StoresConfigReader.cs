using Sluice.Core.Configuration;
using YamlDotNet.Core;

namespace Sluice.Core.Artifacts.Stores;

/// <summary>
/// Reads the seed's store configuration:
/// <code>
/// artifactsStore:            # one store, the default
///   name: s3-artifacts
///   kind: s3                 # or wasb
///   schema:
///     bucket: "s3://bucket/"   # wasb: "wasbs://container@account.blob.core.windows.net/"
///   secret:
///     name: "s3-secret"
/// connections:               # more stores, each the same shape
///   - name: ...
/// </code>
/// Either key (or both) may be given. <c>secret</c> may be left out (the process environment and
/// the default chain), and <c>description</c> is allowed, as Polyaxon allows it. Every problem is
/// reported, each as "FILE line N: what is expected": unknown keys, missing keys, a kind other
/// than s3 or wasb, a bucket that is not a URL of that kind, duplicate names, invalid YAML.
/// </summary>
public static class StoresConfigReader
{
    private static readonly string[] StoreKeys = ["name", "kind", "schema", "secret", "description"];

    /// <exception cref="StoresConfigException">The file cannot be read or is not a valid configuration.</exception>
    public static ArtifactStores Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StoresConfigException([new ConfigError(path, 0, $"cannot be read ({e.Message})")]);
        }

        return Parse(text, path);
    }

    /// <exception cref="StoresConfigException">Not a valid configuration; every problem is listed.</exception>
    public static ArtifactStores Parse(string text, string fileName)
    {
        var errors = new List<ConfigError>();
        YamlNode? root;
        try
        {
            root = YamlTree.Load(text);
        }
        catch (YamlException e)
        {
            throw new StoresConfigException([new ConfigError(fileName, YamlTree.Line(e.Start), $"is not valid YAML: {Describe(e)}")]);
        }

        void Error(int line, string message) => errors.Add(new ConfigError(fileName, line, message));

        if (root is not YamlMap map)
        {
            Error(root?.Line ?? 1, "expected a mapping with artifactsStore: (one store) or connections: (a list of stores)");
            throw new StoresConfigException(errors);
        }

        ArtifactStore? defaultStore = null;
        var connections = new List<ArtifactStore>();
        bool any = false;
        foreach (var (key, value) in map.Entries)
        {
            switch (key.Value)
            {
                case "artifactsStore":
                    any = true;
                    if (value is YamlMap storeMap)
                    {
                        defaultStore = ReadStore(storeMap, "artifactsStore", Error);
                    }
                    else
                    {
                        Error(value.Line, "artifactsStore must be a mapping with name, kind, schema and secret");
                    }

                    break;

                case "connections":
                    any = true;
                    if (value is YamlText { IsNull: true })
                    {
                        break;
                    }

                    if (value is not YamlList list)
                    {
                        Error(value.Line, "connections must be a list of stores (- name: ..., kind: s3, schema: ..., secret: ...)");
                        break;
                    }

                    for (int i = 0; i < list.Items.Count; i++)
                    {
                        if (list.Items[i] is YamlMap entry)
                        {
                            if (ReadStore(entry, $"connections[{i}]", Error) is { } store)
                            {
                                connections.Add(store);
                            }
                        }
                        else
                        {
                            Error(list.Items[i].Line, $"connections[{i}] must be a mapping with name, kind, schema and secret");
                        }
                    }

                    break;

                default:
                    Error(key.Line, $"'{key.Value}' is not a known key (expected artifactsStore or connections)");
                    break;
            }
        }

        if (!any)
        {
            Error(map.Line, "expected artifactsStore: (one store) or connections: (a list of stores)");
        }

        var names = new Dictionary<string, ArtifactStore>(StringComparer.Ordinal);
        foreach (ArtifactStore store in defaultStore is null ? connections : [defaultStore, .. connections])
        {
            if (!names.TryAdd(store.Name, store))
            {
                Error(store.Line, $"the store name '{store.Name}' is already used on line {names[store.Name].Line}; names must be unique");
            }
        }

        if (errors.Count > 0)
        {
            errors.Sort((a, b) => a.Line.CompareTo(b.Line));
            throw new StoresConfigException(errors);
        }

        return new ArtifactStores(fileName, defaultStore, connections);
    }

    private static ArtifactStore? ReadStore(YamlMap map, string path, Action<int, string> error)
    {
        int errors = 0;
        void Error(int line, string message)
        {
            errors++;
            error(line, message);
        }

        string? name = null, kind = null, bucket = null, prefix = null, secret = null, description = null;
        WasbLocation? wasb = null;
        (string Text, int Line)? bucketUrl = null;
        bool hasSchema = false;
        foreach (var (key, value) in map.Entries)
        {
            switch (key.Value)
            {
                case "name":
                    name = Text(value, $"{path}.name", "a store name", Error);
                    if (name is not null && StoreName.Problem(name) is { } nameProblem)
                    {
                        Error(value.Line, $"{path}.name {nameProblem}");
                    }

                    break;

                case "kind":
                    kind = Text(value, $"{path}.kind", "s3 or wasb", Error);
                    if (kind is not null && kind is not ("s3" or "wasb"))
                    {
                        Error(value.Line, $"{path}.kind must be s3 or wasb (got '{kind}'; S3 and Azure Blob stores are supported)");
                        kind = null;
                    }

                    break;

                case "schema":
                    hasSchema = true;
                    if (value is not YamlMap schema)
                    {
                        Error(value.Line, $"{path}.schema must be a mapping with bucket: \"s3://bucket/\"");
                        break;
                    }

                    bool hasBucket = false;
                    foreach (var (schemaKey, schemaValue) in schema.Entries)
                    {
                        if (schemaKey.Value != "bucket")
                        {
                            Error(schemaKey.Line, $"{path}.schema.{schemaKey.Value} is not a known key (expected bucket)");
                            continue;
                        }

                        hasBucket = true;
                        if (Text(schemaValue, $"{path}.schema.bucket", "s3://bucket/ or wasbs://container@account.blob.core.windows.net/", Error) is { } url)
                        {
                            bucketUrl = (url, schemaValue.Line); // read once the kind is known, wherever it is written
                        }
                    }

                    if (!hasBucket)
                    {
                        Error(schema.Line, $"{path}.schema.bucket is missing (expected bucket: \"s3://bucket/\")");
                    }

                    break;

                case "secret":
                    if (value is YamlText { IsNull: true })
                    {
                        break;
                    }

                    if (value is not YamlMap secretMap)
                    {
                        Error(value.Line, $"{path}.secret must be a mapping with name: the secret's name");
                        break;
                    }

                    bool hasName = false;
                    foreach (var (secretKey, secretValue) in secretMap.Entries)
                    {
                        if (secretKey.Value != "name")
                        {
                            Error(secretKey.Line, $"{path}.secret.{secretKey.Value} is not a known key (expected name)");
                            continue;
                        }

                        hasName = true;
                        secret = Text(secretValue, $"{path}.secret.name", "the name of a secret", Error);
                        if (secret is not null && SecretName.Problem(secret) is { } secretProblem)
                        {
                            Error(secretValue.Line, $"{path}.secret.name {secretProblem}");
                        }
                    }

                    if (!hasName)
                    {
                        Error(secretMap.Line, $"{path}.secret.name is missing (expected name: the secret's name)");
                    }

                    break;

                case "description":
                    description = value is YamlText { IsNull: true } ? null : Text(value, $"{path}.description", "text", Error);
                    break;

                default:
                    Error(key.Line, $"{path}.{key.Value} is not a known key (expected {string.Join(", ", StoreKeys)})");
                    break;
            }
        }

        if (!map.Entries.Any(e => e.Key.Value == "name"))
        {
            Error(map.Line, $"{path}.name is missing (expected name: the store's name)");
        }

        if (!map.Entries.Any(e => e.Key.Value == "kind"))
        {
            Error(map.Line, $"{path}.kind is missing (expected kind: s3 or kind: wasb)");
        }

        if (bucketUrl is var (urlText, urlLine))
        {
            // Without a valid kind, the URL's own scheme says which rules it is checked by: every problem is reported at once.
            bool wasbRules = kind is null ? urlText.StartsWith("wasb", StringComparison.Ordinal) : kind == "wasb";
            bool parsed = wasbRules
                ? StoreBucketUrl.TryParseWasb(urlText, out bucket, out prefix, out wasb, out string? problem)
                : StoreBucketUrl.TryParse(urlText, out bucket, out prefix, out problem);
            if (!parsed)
            {
                Error(urlLine, $"{path}.schema.bucket {problem}");
            }
        }

        if (!hasSchema)
        {
            Error(map.Line, $"{path}.schema is missing (expected schema: with bucket: \"s3://bucket/\")");
        }

        return errors > 0 || name is null || bucket is null || prefix is null
            ? null
            : new ArtifactStore(name, bucket, prefix, secret, description, map.Line, wasb);
    }

    private static string? Text(YamlNode value, string path, string expected, Action<int, string> error) => YamlTree.Text(value, path, expected, error);

    private static string Describe(YamlException e) => YamlTree.Describe(e);
}
