using Sluice.Server.Problems;

namespace Sluice.Server.WebConsole;

/// <summary>
/// The web console: <c>GET /</c> is its page and <c>GET /console/{file}</c> its modules and style,
/// all compiled into the assembly (a fresh clone serves it with no build step of its own). Open to
/// all, as the page holds no data: it calls the API with the token the person pastes in, so API
/// routes still answer 401 problems without one.
/// </summary>
public static class ConsoleEndpoints
{
    public const string FilesPath = "/console";

    private static readonly IReadOnlyDictionary<string, PageFile> Files = PageFile.LoadAll();
    private static readonly PageFile Index = PageFile.Load("index.html");

    public static IEndpointRouteBuilder MapConsole(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/", (HttpContext context) => Index.Serve(context)).AllowAnonymous().ExcludeFromDescription();
        routes.MapGet(FilesPath + "/{**file}", (string file, HttpContext context) =>
                Files.TryGetValue(file, out PageFile? page)
                    ? page.Serve(context)
                    : ProblemResults.Status(StatusCodes.Status404NotFound, "Not found", $"The console has no file '{file}'."))
            .AllowAnonymous()
            .ExcludeFromDescription();
        return routes;
    }
}
