namespace Sluice.Core.Providers;

/// <summary>Signs a browser upload form (a POST policy), for the stores that have them; an <see cref="IUrlSigner"/> that can, implements this too.</summary>
public interface IFormSigner
{
    PostPolicyForm SignForm(FormPolicy policy, DateTimeOffset signingTime);
}
